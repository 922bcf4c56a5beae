<?php
declare(strict_types=1);

namespace Lojal\WooCommerce\Spend;

use Lojal\WooCommerce\Core\OrderPayload;

/**
 * An order that spent points and failed or was cancelled before it was paid gives its hold back: the release is
 * queued (Action Scheduler, never during the status change) and asks the service to cancel the hold. A hold the
 * order's first event had already committed cannot be cancelled (the service answers 409); the order's
 * cancellation event gives those points back instead. A hold nobody releases goes back when its time is up.
 */
final class OrderRelease {
	public const ACTION = 'lojal_release_hold';

	/** @var callable(string, array, string, bool): mixed */
	private $enqueue;

	/** @param ?callable(string $hook, array $args, string $group, bool $unique): mixed $enqueue Action Scheduler's as_enqueue_async_action by default */
	public function __construct(private Spending $spending, ?callable $enqueue = null) {
		$this->enqueue = $enqueue ?? 'as_enqueue_async_action';
	}

	public function register(): void {
		add_action('woocommerce_order_status_failed', [$this, 'orderEnded'], 10, 2);
		add_action('woocommerce_order_status_cancelled', [$this, 'orderEnded'], 10, 2);
		add_action(self::ACTION, [$this, 'release'], 10, 2);
	}

	/** The hold an order spent, if it is to be released now (the order not paid), or null. */
	public static function holdToRelease(\WC_Order $order): ?string {
		$meta = $order->get_meta(OrderPayload::REDEMPTION_META);
		if (is_string($meta) && $meta !== '') $meta = json_decode($meta, true);
		if (!is_array($meta) || empty($meta['redemptionId']) || $order->get_date_paid()) return null;
		return (string)$meta['redemptionId'];
	}

	public function orderEnded(mixed $orderId, mixed $order = null): void {
		try {
			$order = $order instanceof \WC_Order ? $order : wc_get_order((int)$orderId);
			$id = $order instanceof \WC_Order ? self::holdToRelease($order) : null;
			if ($id !== null) ($this->enqueue)(self::ACTION, [$id, (int)$order->get_id()], 'lojal', true);
		} catch (\Throwable $e) {
			wc_get_logger()->error('Lojal: the release of an order\'s points could not be queued: ' . $e->getMessage(), ['source' => 'lojal']);
		}
	}

	/**
	 * The queued release: cancel at the service. A hold the order's event already committed answers 409, which is
	 * no error: the order's cancellation event gives those points back. Anything else is logged; the hold then goes
	 * back when its time is up.
	 */
	public function release(mixed $redemptionId, mixed $orderId = 0): void {
		$redemptions = $this->spending->redemptions();
		if ($redemptions === null) return;
		$r = $redemptions->cancel((string)$redemptionId);
		if ($r['status'] === 200 || $r['status'] === 409) return;
		wc_get_logger()->error('Lojal: hold ' . $redemptionId . ' of order ' . (int)$orderId . ' not released (it expires by itself): ' . $r['error'], ['source' => 'lojal']);
	}
}
