<?php
declare(strict_types=1);

namespace Lojal\WooCommerce\Storefront;

use Lojal\WooCommerce\Core\OrderPayload;
use Lojal\WooCommerce\Feature;
use Lojal\WooCommerce\Orders\OrderReader;
use Lojal\WooCommerce\Services;

/**
 * The points of an order on the thank-you page and in My Account → the order (OrderPoints). The classic thank-you
 * fires woocommerce_thankyou and then, in its order details, woocommerce_order_details_after_order_table; the block
 * order confirmation fires the latter in its Totals block and the former in its Additional Information block; the
 * order view fires the latter. The first to fire shows the points, once per order and request.
 */
final class OrderPointsView implements Feature {
	private Shop $shop;
	/** @var array<int, true> */
	private array $shown = [];

	public function __construct(private Services $services) {
		$this->shop = new Shop($services);
	}

	public function register(): void {
		add_action('woocommerce_thankyou', [$this, 'thankYou'], 5);
		add_action('woocommerce_order_details_after_order_table', [$this, 'orderDetails'], 5);
	}

	public function thankYou(mixed $orderId): void {
		$order = is_numeric($orderId) ? wc_get_order((int)$orderId) : false;
		if ($order instanceof \WC_Order) $this->show($order);
	}

	public function orderDetails(mixed $order): void {
		if ($order instanceof \WC_Order) $this->show($order);
	}

	private function show(\WC_Order $order): void {
		if (isset($this->shown[$order->get_id()]) || !$this->shop->on()) return;
		$this->shown[$order->get_id()] = true;
		echo $this->html($order);
	}

	public function html(\WC_Order $order): string {
		try {
			$estimate = static function () use ($order): ?array {
				$payload = OrderPayload::forCurrency($order->get_currency())->order((new OrderReader())->order($order));
				return $payload['lines'] ? CartQuote::fromOrder($payload) : null;
			};
			$points = (new OrderPoints($this->shop->client(), PageBudget::page()))->forOrder((string)$order->get_id(), (string)$order->get_status(), $estimate);
			if ($points === null) return '';
			$lines = OrderPoints::sentences($points, [Shop::class, 'date']);
			return '<section class="lojal-order-points"><p>' . implode('</p><p>', array_map('esc_html', $lines)) . '</p></section>';
		} catch (\Throwable $e) {
			Shop::log($e);
			return '';
		}
	}
}
