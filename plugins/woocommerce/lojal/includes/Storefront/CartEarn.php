<?php
declare(strict_types=1);

namespace Lojal\WooCommerce\Storefront;

use Lojal\WooCommerce\Numbers;
use Lojal\WooCommerce\Feature;
use Lojal\WooCommerce\Services;

/**
 * "This order earns N points" in the cart and at checkout: a row of the totals table in the classic (shortcode)
 * cart and checkout review; for the cart and checkout blocks, the figure is added to the Store API's cart data
 * (extensions.lojal) and storefront-blocks.js shows it in the order summary (ExperimentalOrderMeta). The figure is
 * the earning quote of the cart as the order it becomes (CartReader, CartQuote): lines, coupons, negative fees,
 * shipping, tax and the points spent.
 */
final class CartEarn implements Feature {
	public const NAMESPACE = 'lojal';
	private Shop $shop;
	/** @var array{0:string, 1:?array{points:int, text:string}}|null the last cart's figure this request [body hash, figure] */
	private ?array $last = null;

	public function __construct(private Services $services) {
		$this->shop = new Shop($services);
	}

	public function register(): void {
		add_action('woocommerce_cart_totals_after_order_total', [$this, 'totalsRow']);
		add_action('woocommerce_review_order_after_order_total', [$this, 'totalsRow']);
		add_action('woocommerce_blocks_loaded', [$this, 'extendStoreApi']);
		add_action('woocommerce_blocks_cart_block_registration', [$this, 'registerBlocks']);
		add_action('woocommerce_blocks_checkout_block_registration', [$this, 'registerBlocks']);
	}

	/** @return ?array{points:int, text:string} what the current cart earns, null when it cannot be said */
	public function figure(): ?array {
		try {
			if (!$this->shop->on() || !function_exists('WC') || !WC()->cart instanceof \WC_Cart || WC()->cart->is_empty()) return null;
			$customerId = $this->shop->customerId();
			$body = CartQuote::body((new CartReader())->cart(WC()->cart, $customerId));
			$hash = md5((string)wp_json_encode($body));
			if ($this->last !== null && $this->last[0] === $hash) return $this->last[1];
			$points = $this->shop->quote()->forCart($body);
			$figure = $points !== null && $points > 0 ? ['points' => $points, 'text' => sprintf(Words::earnCart($points), Numbers::plain($points))] : null;
			$this->last = [$hash, $figure];
			return $figure;
		} catch (\Throwable $e) {
			Shop::log($e);
			return null;
		}
	}

	public function totalsRow(): void {
		$figure = $this->figure();
		if ($figure === null) return;
		echo '<tr class="lojal-earn-cart"><th>' . esc_html__('Loyalty points', 'lojal') . '</th><td data-title="' . esc_attr__('Loyalty points', 'lojal') . '">'
			. '<span class="lojal-earn__icon" aria-hidden="true">★</span> ' . esc_html($figure['text']) . '</td></tr>';
	}

	/** The Store API's cart (wc/store/v1/cart) carries extensions.lojal: {points, text}, null values when unknown. */
	public function extendStoreApi(): void {
		if (!function_exists('woocommerce_store_api_register_endpoint_data')) return;
		woocommerce_store_api_register_endpoint_data([
			'endpoint' => \Automattic\WooCommerce\StoreApi\Schemas\V1\CartSchema::IDENTIFIER,
			'namespace' => self::NAMESPACE,
			'data_callback' => function (): array {
				$figure = $this->figure();
				return ['points' => $figure['points'] ?? null, 'text' => $figure['text'] ?? null];
			},
			'schema_callback' => static fn(): array => [
				'points' => ['description' => __('Loyalty points this cart earns', 'lojal'), 'type' => ['integer', 'null'], 'readonly' => true],
				'text' => ['description' => __('The sentence that says so', 'lojal'), 'type' => ['string', 'null'], 'readonly' => true],
			],
			'schema_type' => ARRAY_A,
		]);
	}

	public function registerBlocks(mixed $registry): void {
		if (is_object($registry) && method_exists($registry, 'register') && $this->shop->on()) $registry->register(new BlocksIntegration($this->services));
	}
}
