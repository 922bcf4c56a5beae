<?php
declare(strict_types=1);

namespace Lojal\WooCommerce\Orders;

use Lojal\WooCommerce\Core\Events;
use Lojal\WooCommerce\Core\StatusMap;
use Lojal\WooCommerce\Feature;
use Lojal\WooCommerce\Services;

/**
 * Order statuses and refunds → events, queued for the background (never sent during the request):
 * - woocommerce_order_status_changed: the mapped event (StatusMap), built from the order as saved;
 * - an order created already waiting for payment fires no status change: woocommerce_new_order marks it and it
 *   is sent as "placed" once saved with its items (woocommerce_after_order_object_save);
 * - woocommerce_order_refunded: order.refunded with that refund's id, amount and lines.
 * A failure here is logged and never breaks the checkout or the admin's save.
 */
final class OrderHooks implements Feature {
	/** @var array<int, true> orders created in a "placed" status during this request, not saved with items yet */
	private array $created = [];

	public function __construct(private Services $services, private OrderReader $reader = new OrderReader()) {}

	public function register(): void {
		add_action('woocommerce_order_status_changed', [$this, 'statusChanged'], 20, 3);
		add_action('woocommerce_new_order', [$this, 'created'], 20, 2);
		add_action('woocommerce_after_order_object_save', [$this, 'saved'], 20, 1);
		add_action('woocommerce_order_refunded', [$this, 'refunded'], 20, 2);
	}

	public function statusChanged(mixed $orderId, mixed $from, mixed $to): void {
		$kind = $this->kind((string)$to);
		if ($kind !== null) $this->guard(fn() => $this->queueStatus((int)$orderId, $kind));
	}

	public function created(mixed $orderId, mixed $order = null): void {
		$status = $order instanceof \WC_Order ? $order->get_status() : '';
		if ($this->kind($status) === 'placed') $this->created[(int)$orderId] = true;
	}

	public function saved(mixed $order): void {
		if (!$order instanceof \WC_Order || !isset($this->created[$order->get_id()])) return;
		unset($this->created[$order->get_id()]);
		$this->guard(fn() => $this->queueStatus($order->get_id(), 'placed'));
	}

	public function refunded(mixed $orderId, mixed $refundId): void {
		if (!$this->services->settings()->enabled()) return;
		$this->guard(function () use ($orderId, $refundId): void {
			$order = wc_get_order((int)$orderId);
			$refund = wc_get_order((int)$refundId);
			if (!$order instanceof \WC_Order || !$refund instanceof \WC_Order_Refund) return;
			$this->services->outbox()->queue(Events::forRefund($this->reader->order($order), $this->reader->refund($refund), self::now()));
		});
	}

	private function kind(string $status): ?string {
		$settings = $this->services->settings();
		return $settings->enabled() ? StatusMap::kindFor($status, $settings->statusMap()) : null;
	}

	private function queueStatus(int $orderId, string $kind): void {
		$order = wc_get_order($orderId);
		if (!$order instanceof \WC_Order) return;
		$event = Events::forStatus($this->reader->order($order), $kind, self::now());
		if ($event !== null) $this->services->outbox()->queue($event);
	}

	private function guard(callable $work): void {
		try {
			$work();
		} catch (\Throwable $e) {
			wc_get_logger()->error('Lojal: an order event could not be queued: ' . $e->getMessage(), ['source' => 'lojal']);
		}
	}

	private static function now(): string {
		return gmdate('Y-m-d\TH:i:s\Z');
	}
}
