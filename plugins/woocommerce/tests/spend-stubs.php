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
// The admin panel's tests (admin-panel-stubs.php) read what was enqueued from AdminPanelStub: both are written.
function wp_enqueue_script(string $handle, string $src = '', array $deps = [], mixed $ver = false, mixed $footer = false): void {
	SpendStub::$scripts[$handle] = ['src' => $src, 'deps' => $deps, 'enqueued' => true];
	if (class_exists('AdminPanelStub', false)) AdminPanelStub::$scripts[$handle] = $src;
}
function wp_register_script(string $handle, string $src, array $deps = [], mixed $ver = false, mixed $footer = false): bool {
	SpendStub::$scripts[$handle] = ['src' => $src, 'deps' => $deps, 'enqueued' => false];
	return true;
}
function wp_enqueue_style(string $handle, string $src = '', array $deps = [], mixed $ver = false): void {
	SpendStub::$styles[$handle] = $src;
	if (class_exists('AdminPanelStub', false)) AdminPanelStub::$scripts[$handle] = $src;
}
function wp_localize_script(string $handle, string $name, array $data): bool {
	SpendStub::$localized[$handle] = [$name, $data];
	if (class_exists('AdminPanelStub', false)) AdminPanelStub::$localized[$name] = $data;
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
