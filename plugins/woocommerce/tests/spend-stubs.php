<?php
declare(strict_types=1);

// Stand-ins for what spending points uses of WordPress and WooCommerce (the shopper's session and cart, the Store
// API's extension points, script registration), beside wp-stubs.php. State lives in SpendStub (reset per test).

require __DIR__ . '/spend-wc-classes.php';

final class SpendStub {
	public static int $userId = 0;
	public static ?object $wc = null;
	/** @var array<string, true> actions already run */
	public static array $didActions = [];
	public static array $scripts = [];
	public static array $localized = [];
	public static array $styles = [];
	public static array $storeApi = [];

	/** A signed-in (or guest, 0) shopper with a session and this cart. */
	public static function reset(int $userId = 0, ?WC_Cart $cart = null): void {
		self::$userId = $userId;
		self::$wc = (object)['session' => new WC_Session(), 'cart' => $cart ?? new WC_Cart([])];
		self::$didActions = self::$scripts = self::$localized = self::$styles = self::$storeApi = [];
	}
}

final class WC_Session {
	public array $data = [];

	public function get(string $key, mixed $default = null): mixed {
		return $this->data[$key] ?? $default;
	}

	public function set(string $key, mixed $value): void {
		if ($value === null) unset($this->data[$key]);
		else $this->data[$key] = $value;
	}
}

final class WC_Cart_Fees {
	/** @var array<string, object> */
	public array $fees = [];

	public function add_fee(array $args): object {
		$fee = (object)($args + ['tax_class' => '', 'taxable' => false]);
		return $this->fees[$args['id']] = $fee;
	}

	public function get_fees(): array {
		return $this->fees;
	}
}

/** A cart: lines [product_id, variation_id, quantity, price], its totals after coupons and shipping, as strings. */
final class WC_Cart {
	private WC_Cart_Fees $fees;
	public int $calculated = 0;

	public function __construct(public array $lines, public string $contentsTotal = '0', public string $shippingTotal = '0') {
		$this->fees = new WC_Cart_Fees();
	}

	public function get_cart(): array {
		return array_map(static fn(array $l): array => ['product_id' => $l[0], 'variation_id' => $l[1], 'quantity' => $l[2], 'data' => new WC_Product(['price' => $l[3]])], $this->lines);
	}

	public function get_cart_contents_total(): string {
		return $this->contentsTotal;
	}

	public function get_shipping_total(): string {
		return $this->shippingTotal;
	}

	public function fees_api(): WC_Cart_Fees {
		return $this->fees;
	}

	/** As WooCommerce does: the fees are worked out again, through woocommerce_cart_calculate_fees. */
	public function calculate_totals(): void {
		$this->calculated++;
		$this->fees->fees = [];
		WpStub::fire('woocommerce_cart_calculate_fees', $this);
	}
}

/** An order whose meta can be written, as WC_Order's CRUD does. */
final class SpendOrder extends WC_Order {
	public function update_meta_data(string $key, mixed $value): void {
		$this->data['meta'][$key] = $value;
	}

	public function delete_meta_data(string $key): void {
		unset($this->data['meta'][$key]);
	}
}

final class SpendFeeItem extends WC_Order_Item_Fee {
	public function add_meta_data(string $key, mixed $value, bool $unique = false): void {
		$this->data['meta'][$key] = $value;
	}

	/** As WooCommerce's: false (or nothing) leaves no taxes. */
	public function set_taxes(mixed $taxes): void {
		$this->data['taxes'] = is_array($taxes) ? $taxes : ['total' => []];
		$this->data['total_tax'] = is_array($taxes) ? array_sum($taxes['total'] ?? []) : 0;
	}
}

function WC(): ?object {
	return SpendStub::$wc;
}
function get_current_user_id(): int {
	return SpendStub::$userId;
}
function did_action(string $hook): int {
	return isset(SpendStub::$didActions[$hook]) ? 1 : 0;
}
function wc_price(string|float $price, array $args = []): string {
	return '<span class="woocommerce-Price-amount amount"><bdi><span class="woocommerce-Price-currencySymbol">&#36;</span>' . number_format((float)$price, 2) . '</bdi></span>';
}
function wp_strip_all_tags(string $text): string {
	return strip_tags($text);
}
function esc_attr(string $text): string {
	return htmlspecialchars($text, ENT_QUOTES);
}
function admin_url(string $path = ''): string {
	return 'http://shop.test/wp-admin/' . $path;
}
function wp_create_nonce(string $action): string {
	return 'nonce-' . $action;
}
function wp_enqueue_script(string $handle, string $src = '', array $deps = [], mixed $ver = false, mixed $footer = false): void {
	SpendStub::$scripts[$handle] = ['src' => $src, 'deps' => $deps, 'enqueued' => true];
}
function wp_register_script(string $handle, string $src, array $deps = [], mixed $ver = false, mixed $footer = false): bool {
	SpendStub::$scripts[$handle] = ['src' => $src, 'deps' => $deps, 'enqueued' => false];
	return true;
}
function wp_enqueue_style(string $handle, string $src = '', array $deps = [], mixed $ver = false): void {
	SpendStub::$styles[$handle] = $src;
}
function wp_localize_script(string $handle, string $name, array $data): bool {
	SpendStub::$localized[$handle] = [$name, $data];
	return true;
}
function plugins_url(string $path, string $file): string {
	return 'http://shop.test/wp-content/plugins/lojal/' . $path;
}
function woocommerce_store_api_register_endpoint_data(array $args): bool {
	SpendStub::$storeApi['data'][] = $args;
	return true;
}
function woocommerce_store_api_register_update_callback(array $args): bool {
	SpendStub::$storeApi['update'][] = $args;
	return true;
}
if (!defined('ARRAY_A')) define('ARRAY_A', 'ARRAY_A');
if (!defined('LOJAL_VERSION')) define('LOJAL_VERSION', 'test');
