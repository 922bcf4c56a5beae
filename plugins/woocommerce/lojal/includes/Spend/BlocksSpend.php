<?php
declare(strict_types=1);

namespace Lojal\WooCommerce\Spend;

use Lojal\WooCommerce\Services;

/**
 * The cart and checkout blocks (the Store API): the cart's `extensions.lojal_spend` carries what the box shows
 * (Spending::view, ExtendSchema), "Use points" and "Remove" arrive through the Store API's cart/extensions
 * endpoint (extensionCartUpdate with namespace lojal_spend, data {action: "use"|"remove", points}), after which the
 * Store API recalculates the cart, fee included, and the blocks show the new totals. The script
 * (assets/spend-blocks.js) is an integration of the two blocks, so it loads only where they are.
 */
final class BlocksSpend {
	/**
	 * Not CartEarn's `lojal`: WooCommerce keeps one cart data callback per namespace, and a second registration under
	 * the same one replaces the first (the earn figure was lost from both blocks that way).
	 */
	public const NAMESPACE = 'lojal_spend';

	public function __construct(private Services $services, private Spending $spending) {}

	public function register(): void {
		if (did_action('woocommerce_blocks_loaded')) $this->extendStoreApi();
		else add_action('woocommerce_blocks_loaded', [$this, 'extendStoreApi']);
		add_action('woocommerce_blocks_cart_block_registration', [$this, 'integrate']);
		add_action('woocommerce_blocks_checkout_block_registration', [$this, 'integrate']);
	}

	public function extendStoreApi(): void {
		if (!function_exists('woocommerce_store_api_register_endpoint_data') || !function_exists('woocommerce_store_api_register_update_callback')) return;
		woocommerce_store_api_register_endpoint_data([
			'endpoint' => 'cart',
			'namespace' => self::NAMESPACE,
			'data_callback' => [$this, 'cartData'],
			'schema_callback' => [self::class, 'schema'],
			'schema_type' => ARRAY_A,
		]);
		woocommerce_store_api_register_update_callback(['namespace' => self::NAMESPACE, 'callback' => [$this, 'update']]);
	}

	/** The cart's extensions.lojal_spend: Spending::view (nothing for a guest, a slow service, no points to use). */
	public function cartData(): array {
		try {
			return $this->spending->view();
		} catch (\Throwable $e) {
			wc_get_logger()->error('Lojal: the points box could not be worked out: ' . $e->getMessage(), ['source' => 'lojal']);
			return ['state' => 'none'];
		}
	}

	public static function schema(): array {
		$field = static fn(string $type, string $description): array => ['description' => $description, 'type' => [$type, 'null'], 'context' => ['view', 'edit'], 'readonly' => true];
		return [
			'state' => $field('string', 'none, use (points can be used) or using (points are used)'),
			'heading' => $field('string', 'The box heading'),
			'have' => $field('string', 'The points the customer has, in words'),
			'upTo' => $field('string', 'The most points this cart may take and their value, in words'),
			'min' => $field('integer', 'The fewest points that may be used'),
			'max' => $field('integer', 'The most points this cart may take'),
			'points' => $field('integer', 'The points used'),
			'using' => $field('string', 'The points used and the discount they give, in words'),
		];
	}

	/**
	 * cart/extensions with namespace lojal_spend. A refusal is the Store API's error, with the message in the shopper's
	 * language; the blocks show it.
	 */
	public function update(mixed $data): void {
		$data = is_array($data) ? $data : [];
		if (($data['action'] ?? '') === 'remove') $result = $this->spending->remove();
		elseif ($this->spending->customerId() <= 0) $result = ['ok' => false, 'message' => SpendWords::error(['error' => 'signed_out'])];
		else $result = $this->spending->apply(max(0, (int)($data['points'] ?? 0)));
		if (!$result['ok']) throw new \Automattic\WooCommerce\StoreApi\Exceptions\RouteException('lojal_points', esc_html($result['message']), 400);
	}

	public function integrate(mixed $registry): void {
		if (is_object($registry) && method_exists($registry, 'register') && !$registry->is_registered(BlocksIntegration::NAME)) {
			$registry->register(new BlocksIntegration($this->services));
		}
	}
}
