<?php
declare(strict_types=1);

// The few more WordPress functions the wp-admin points panel uses, beside wp-stubs.php; each only if not defined
// yet (another feature's tests may define the same). State in AdminPanelStub, reset per test.

defined('ABSPATH') || define('ABSPATH', '/var/www/wordpress/');
defined('LOJAL_VERSION') || define('LOJAL_VERSION', '0.0.0-test');

final class AdminPanelStub {
	public static ?object $user = null;
	public static string $screen = '';
	/** What wc_get_page_screen_id('shop-order') answers: HPOS by default, `shop_order` for posts. */
	public static string $orderScreen = 'woocommerce_page_wc-orders';
	public static array $metaBoxes = [];
	public static array $scripts = [];
	public static array $localized = [];

	public static function reset(): void {
		self::$user = (object)['ID' => 1, 'user_login' => 'admin', 'display_name' => 'Shop Admin', 'roles' => ['administrator']];
		self::$screen = '';
		self::$orderScreen = 'woocommerce_page_wc-orders';
		self::$metaBoxes = self::$scripts = self::$localized = [];
	}
}

if (!function_exists('esc_attr')) {
	function esc_attr(string $text): string {
		return htmlspecialchars($text, ENT_QUOTES);
	}
}
if (!function_exists('esc_html_e')) {
	function esc_html_e(string $text, string $domain = 'default'): void {
		echo htmlspecialchars($text, ENT_QUOTES);
	}
}
if (!function_exists('esc_html_x')) {
	function esc_html_x(string $text, string $context, string $domain = 'default'): string {
		return htmlspecialchars($text, ENT_QUOTES);
	}
}
if (!function_exists('wp_date')) {
	function wp_date(string $format, ?int $timestamp = null): string {
		return gmdate($format, $timestamp ?? time());
	}
}
if (!function_exists('wp_get_current_user')) {
	function wp_get_current_user(): object {
		return AdminPanelStub::$user ?? (object)['ID' => 0, 'user_login' => '', 'display_name' => ''];
	}
}
if (!function_exists('wc_get_page_screen_id')) {
	function wc_get_page_screen_id(string $for): string {
		return $for === 'shop-order' ? AdminPanelStub::$orderScreen : $for;
	}
}
if (!function_exists('add_meta_box')) {
	function add_meta_box(string $id, string $title, callable $callback, mixed $screen = null, string $context = 'advanced', string $priority = 'default'): void {
		AdminPanelStub::$metaBoxes[] = ['id' => $id, 'title' => $title, 'callback' => $callback, 'screen' => $screen, 'context' => $context];
	}
}
if (!function_exists('get_current_screen')) {
	function get_current_screen(): ?object {
		return AdminPanelStub::$screen === '' ? null : (object)['id' => AdminPanelStub::$screen];
	}
}
if (!function_exists('wp_enqueue_script')) {
	function wp_enqueue_script(string $handle, string $src = '', array $deps = [], mixed $ver = false, mixed $args = []): void {
		AdminPanelStub::$scripts[$handle] = $src;
	}
}
if (!function_exists('wp_enqueue_style')) {
	function wp_enqueue_style(string $handle, string $src = '', array $deps = [], mixed $ver = false): void {
		AdminPanelStub::$scripts[$handle] = $src;
	}
}
if (!function_exists('wp_localize_script')) {
	function wp_localize_script(string $handle, string $name, array $data): bool {
		AdminPanelStub::$localized[$name] = $data;
		return true;
	}
}
if (!function_exists('admin_url')) {
	function admin_url(string $path = ''): string {
		return 'http://shop.test/wp-admin/' . $path;
	}
}
if (!function_exists('wp_create_nonce')) {
	function wp_create_nonce(string $action = ''): string {
		return 'nonce-' . $action;
	}
}
if (!function_exists('plugins_url')) {
	function plugins_url(string $path = '', string $file = ''): string {
		return 'http://shop.test/wp-content/plugins/' . basename(dirname($file)) . '/' . $path;
	}
}
if (!function_exists('esc_url')) {
	function esc_url(string $url): string {
		return htmlspecialchars($url, ENT_QUOTES);
	}
}
if (!function_exists('get_edit_user_link')) {
	function get_edit_user_link(int $userId = 0): string {
		return 'http://shop.test/wp-admin/user-edit.php?user_id=' . $userId;
	}
}
if (!class_exists('WP_Post')) {
	class WP_Post {
		public function __construct(public int $ID = 0, public string $post_type = 'shop_order') {}
	}
}

AdminPanelStub::reset();
