<?php
declare(strict_types=1);

namespace Lojal\WooCommerce\Storefront;

use Lojal\WooCommerce\Feature;
use Lojal\WooCommerce\Services;

/**
 * My Account → Points: balance, pending (and what pending means), held, tier and what the next one needs, points
 * expiring soon, and the last 20 activity entries in the customer's words (templates/storefront-account-points.php,
 * which a theme may override as lojal/storefront-account-points.php). WooCommerce registers the endpoint from its
 * query vars; the rewrite rules are flushed on activation and once after an update that changes them.
 */
final class AccountPoints implements Feature {
	public const ENDPOINT = 'lojal-points';
	public const REWRITE_OPTION = 'lojal_rewrite_version';
	private const REWRITE_VERSION = '1';

	private Shop $shop;

	public function __construct(private Services $services) {
		$this->shop = new Shop($services);
	}

	public function register(): void {
		add_filter('woocommerce_get_query_vars', [$this, 'queryVars']);
		add_filter('woocommerce_account_menu_items', [$this, 'menu']);
		add_filter('woocommerce_endpoint_' . self::ENDPOINT . '_title', [$this, 'title']);
		add_action('woocommerce_account_' . self::ENDPOINT . '_endpoint', [$this, 'render']);
		add_action('init', [self::class, 'maybeFlush'], 99);
		add_action('wp_enqueue_scripts', [$this, 'assets']);
	}

	/** Activation: the endpoint's rewrite rule, then the rules flushed. */
	public static function activate(): void {
		add_rewrite_endpoint(self::ENDPOINT, EP_ROOT | EP_PAGES);
		flush_rewrite_rules();
		update_option(self::REWRITE_OPTION, self::REWRITE_VERSION, true);
	}

	/** After an update that added the endpoint without an activation (WooCommerce has added its rule on init by now). */
	public static function maybeFlush(): void {
		if (get_option(self::REWRITE_OPTION) === self::REWRITE_VERSION) return;
		flush_rewrite_rules(false);
		update_option(self::REWRITE_OPTION, self::REWRITE_VERSION, true);
	}

	public function queryVars(array $vars): array {
		return $vars + [self::ENDPOINT => self::ENDPOINT];
	}

	/** "Points" before "Log out". */
	public function menu(array $items): array {
		if (!$this->shop->on()) return $items;
		$out = [];
		foreach ($items as $key => $label) {
			if ($key === 'customer-logout') $out[self::ENDPOINT] = $this->title();
			$out[$key] = $label;
		}
		return $out + [self::ENDPOINT => $this->title()];
	}

	public function title(): string {
		return __('Points', 'lojal');
	}

	public function render(): void {
		$customerId = $this->shop->customerId();
		if ($customerId === null) return;
		try {
			$client = $this->shop->client(MemberView::TIMEOUT_MS / 1000);
			$view = MemberView::load($client, $customerId);
		} catch (\Throwable $e) {
			Shop::log($e);
			$view = ['state' => 'unavailable'];
		}
		wc_get_template('storefront-account-points.php', ['view' => $view], 'lojal/', dirname($this->services->pluginFile) . '/templates/');
	}

	public function assets(): void {
		if (function_exists('is_account_page') && is_account_page()) wp_enqueue_style('lojal-storefront', $this->services->assetUrl('storefront-earn.css'), [], LOJAL_VERSION);
	}
}
