<?php
declare(strict_types=1);

// Small stand-ins for the WordPress and WooCommerce functions and classes the plugin's glue uses; no WordPress.
// State lives in WpStub (reset per test): options, user meta, users, orders, registered hooks, logged errors.

final class WpStub {
	/** @var list<array{0:string, 1:array, 2:string}> as_unschedule_all_actions calls */
	public static array $unscheduled = [];
	public static array $options = [];
	public static array $userMeta = [];
	/** @var array<int, object> */
	public static array $users = [];
	/** @var array<int, WC_Abstract_Order> */
	public static array $orders = [];
	/** @var list<array{0:string, 1:string, 2:callable, 3:int, 4:int}> [kind, hook, callback, priority, args] */
	public static array $hooks = [];
	public static array $errors = [];
	public static array $terms = [];
	/** @var list<array|WP_Error> answers wp_remote_request gives, in order */
	public static array $http = [];
	/** @var list<array{url:string, args:array}> */
	public static array $requests = [];
	public static array $post = [];
	public static bool $canManage = true;
	public static array $settingsErrors = [];
	/** @var array<string, mixed> transients by key (their expiry is not kept: ServicePause keeps its own time) */
	public static array $transients = [];

	public static function reset(): void {
		self::$options = self::$userMeta = self::$users = self::$orders = self::$hooks = self::$errors = self::$terms = [];
		self::$http = self::$requests = self::$post = self::$settingsErrors = self::$transients = [];
		self::$canManage = true;
		$_POST = [];
	}

	/** Runs the callbacks registered on a hook, as do_action would. */
	public static function fire(string $hook, mixed ...$args): void {
		foreach (self::$hooks as [$kind, $name, $callback, , $accepted]) {
			if ($name === $hook) $callback(...array_slice($args, 0, $accepted));
		}
	}
}

function add_action(string $hook, callable $callback, int $priority = 10, int $args = 1): bool {
	WpStub::$hooks[] = ['action', $hook, $callback, $priority, $args];
	return true;
}
function add_filter(string $hook, callable $callback, int $priority = 10, int $args = 1): bool {
	WpStub::$hooks[] = ['filter', $hook, $callback, $priority, $args];
	return true;
}
function apply_filters(string $hook, mixed $value, mixed ...$args): mixed {
	foreach (WpStub::$hooks as [$kind, $name, $callback, , $accepted]) {
		if ($kind === 'filter' && $name === $hook) $value = $callback(...array_slice([$value, ...$args], 0, $accepted));
	}
	return $value;
}
function get_option(string $name, mixed $default = false): mixed {
	return array_key_exists($name, WpStub::$options) ? WpStub::$options[$name] : $default;
}
function update_option(string $name, mixed $value, mixed $autoload = null): bool {
	WpStub::$options[$name] = $value;
	return true;
}
function get_transient(string $key): mixed {
	return WpStub::$transients[$key] ?? false;
}
function set_transient(string $key, mixed $value, int $seconds = 0): bool {
	WpStub::$transients[$key] = $value;
	return true;
}
function delete_option(string $name): bool {
	unset(WpStub::$options[$name]);
	return true;
}
function get_userdata(int $id): object|false {
	return WpStub::$users[$id] ?? false;
}
function get_user_meta(int $id, string $key, bool $single = false): mixed {
	return WpStub::$userMeta[$id][$key] ?? '';
}
function update_user_meta(int $id, string $key, mixed $value): bool {
	WpStub::$userMeta[$id][$key] = $value;
	return true;
}
function get_user_locale(int $id = 0): string {
	return (string)(WpStub::$userMeta[$id]['locale'] ?? '') ?: get_locale();
}
function get_locale(): string {
	return (string)get_option('WPLANG', 'en_US') ?: 'en_US';
}
function __(string $text, string $domain = 'default'): string {
	return $text;
}
function _n(string $single, string $plural, int $number, string $domain = 'default'): string {
	return $number === 1 ? $single : $plural;
}
function esc_html__(string $text, string $domain = 'default'): string {
	return htmlspecialchars($text, ENT_QUOTES);
}
function esc_html(string $text): string {
	return htmlspecialchars($text, ENT_QUOTES);
}
function plugin_basename(string $file): string {
	return basename(dirname($file)) . '/' . basename($file);
}
function number_format_i18n(int|float $n): string {
	return number_format($n);
}
function wc_get_order(int $id): WC_Abstract_Order|false {
	return WpStub::$orders[$id] ?? false;
}
function wc_get_product_term_ids(int $productId, string $taxonomy): array {
	return WpStub::$terms[$productId] ?? [];
}
function wc_get_order_statuses(): array {
	return ['wc-pending' => 'Pending payment', 'wc-processing' => 'Processing', 'wc-on-hold' => 'On hold', 'wc-completed' => 'Completed',
		'wc-cancelled' => 'Cancelled', 'wc-refunded' => 'Refunded', 'wc-failed' => 'Failed', 'wc-checkout-draft' => 'Draft', 'wc-shipped' => 'Shipped'];
}
function wc_get_logger(): object {
	return new class {
		public function error(string $message, array $context = []): void {
			WpStub::$errors[] = $message;
		}
	};
}

/** WooCommerce data objects, answering get_<prop>() from an array. */
abstract class WcStubData {
	public function __construct(public array $data = []) {}

	public function __call(string $name, array $args): mixed {
		if (str_starts_with($name, 'get_')) return $this->data[substr($name, 4)] ?? null;
		throw new \BadMethodCallException($name);
	}

	public function get_meta(string $key): mixed {
		return $this->data['meta'][$key] ?? '';
	}
}

abstract class WC_Abstract_Order extends WcStubData {
	public function get_items(string|array $type = 'line_item'): array {
		return $this->data['items'][is_array($type) ? $type[0] : $type] ?? [];
	}

	public function get_date_created(): ?object {
		$at = $this->data['date_created'] ?? null;
		return $at === null ? null : new class($at) {
			public function __construct(private int $at) {}

			public function getTimestamp(): int {
				return $this->at;
			}
		};
	}
}
class WC_Order extends WC_Abstract_Order {
	public function get_refunds(): array {
		return $this->data['refunds'] ?? [];
	}
}
class WC_Order_Refund extends WC_Abstract_Order {}
class WC_Order_Item extends WcStubData {}
class WC_Order_Item_Product extends WC_Order_Item {}
class WC_Order_Item_Fee extends WC_Order_Item {}
class WC_Order_Item_Shipping extends WC_Order_Item {}
class WC_Product extends WcStubData {}

class WP_Error {
	public function __construct(private string $code = '', private string $message = '') {}

	public function get_error_message(): string {
		return $this->message;
	}
}
function is_wp_error(mixed $thing): bool {
	return $thing instanceof WP_Error;
}
function wp_remote_request(string $url, array $args): array|WP_Error {
	WpStub::$requests[] = ['url' => $url, 'args' => $args];
	return array_shift(WpStub::$http) ?? new WP_Error('http_request_failed', 'cURL error 7: Failed to connect');
}
function wp_remote_retrieve_response_code(array $response): int {
	return (int)$response['response']['code'];
}
function wp_remote_retrieve_body(array $response): string {
	return (string)$response['body'];
}
function home_url(string $path = ''): string {
	return 'http://shop.test' . $path;
}
function esc_url_raw(string $url): string {
	return $url;
}
function untrailingslashit(string $text): string {
	return rtrim($text, '/\\');
}
function sanitize_text_field(string $text): string {
	return trim(strip_tags($text));
}
function sanitize_key(string $key): string {
	return preg_replace('/[^a-z0-9_\-]/', '', strtolower($key));
}
function wp_unslash(mixed $value): mixed {
	return $value;
}
function get_woocommerce_currency(): string {
	return (string)get_option('woocommerce_currency', 'USD');
}
function check_ajax_referer(string $action, string $field): bool {
	return true;
}
function current_user_can(string $capability): bool {
	return WpStub::$canManage;
}
/** wp_send_json_* end the request; here they throw what they would send. */
final class JsonSent extends \RuntimeException {
	public function __construct(public bool $success, public mixed $data, public ?int $status) {
		parent::__construct('JSON sent');
	}
}
function wp_send_json_success(mixed $data = null, ?int $status = null): never {
	throw new JsonSent(true, $data, $status);
}
function wp_send_json_error(mixed $data = null, ?int $status = null): never {
	throw new JsonSent(false, $data, $status);
}
class WC_Admin_Settings {
	public static function add_error(string $text): void {
		WpStub::$settingsErrors[] = $text;
	}
}
class WooCommerce {}
function as_unschedule_all_actions(string $hook = '', array $args = [], string $group = ''): void {
	WpStub::$unscheduled[] = [$hook, $args, $group];
}
function as_enqueue_async_action(string $hook, array $args = [], string $group = ''): int {
	return 1;
}
/**
 * WooCommerce's cart, for the storefront's tests and spending points' alike. Made from an array as WC_Cart answers
 * after calculate_totals (`items`, `fees`, `shipping_total`, `total_tax`, `total`), or, for spending points, from
 * lines [product_id, variation_id, quantity, price] with its totals after coupons and shipping as strings; then its
 * fees are worked out again, as WooCommerce does, through woocommerce_cart_calculate_fees.
 */
class WC_Cart {
	public array $data = [];
	/** @var list<array{0:int, 1:int, 2:int, 3:string}> */
	public array $lines = [];
	public int $calculated = 0;
	private ?WC_Cart_Fees $fees = null;

	public function __construct(array $data = [], public string $contentsTotal = '0', public string $shippingTotal = '0') {
		if ($data !== [] && array_is_list($data)) $this->lines = $data;
		else $this->data = $data;
	}

	public function get_cart(): array {
		if ($this->lines) return array_map(static fn(array $l): array => ['product_id' => $l[0], 'variation_id' => $l[1], 'quantity' => $l[2], 'data' => new WC_Product(['price' => $l[3]])], $this->lines);
		return $this->data['items'] ?? [];
	}

	public function get_fees(): array {
		return $this->data['fees'] ?? $this->fees_api()->get_fees();
	}

	public function get_shipping_total(): mixed {
		return $this->data['shipping_total'] ?? ($this->lines ? $this->shippingTotal : 0);
	}

	public function get_cart_contents_total(): string {
		return $this->contentsTotal;
	}

	public function get_total_tax(): mixed {
		return $this->data['total_tax'] ?? 0;
	}

	public function get_total(string $context = 'view'): mixed {
		return $this->data['total'] ?? 0;
	}

	public function is_empty(): bool {
		return !$this->get_cart();
	}

	public function fees_api(): WC_Cart_Fees {
		return $this->fees ??= new WC_Cart_Fees();
	}

	public function calculate_totals(): void {
		$this->calculated++;
		$this->fees_api()->fees = [];
		WpStub::fire('woocommerce_cart_calculate_fees', $this);
	}
}
