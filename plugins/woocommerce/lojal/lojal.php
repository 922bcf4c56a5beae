<?php
/**
 * Plugin Name:          Lojal loyalty points
 * Description:          Loyalty points for WooCommerce through the Lojal service: orders, refunds and customers are sent to it as signed events, in the background; points, tiers and rules live in the service.
 * Version:              0.1.0
 * Requires at least:    6.9
 * Requires PHP:         8.1
 * Requires Plugins:     woocommerce
 * Author:               Lojal
 * License:              MIT
 * License URI:          https://opensource.org/licenses/MIT
 * Text Domain:          lojal
 * Domain Path:          /languages
 * WC requires at least: 9.0
 * WC tested up to:      11.0
 */

declare(strict_types=1);

defined('ABSPATH') || exit;

define('LOJAL_VERSION', '0.1.0');
define('LOJAL_PLUGIN_FILE', __FILE__);

require_once __DIR__ . '/includes/autoload.php';

// Orders are read and written through WooCommerce's CRUD only, so either order storage works; the checkout
// blocks are served as well as the classic checkout.
add_action('before_woocommerce_init', static function (): void {
	if (class_exists(\Automattic\WooCommerce\Utilities\FeaturesUtil::class)) {
		\Automattic\WooCommerce\Utilities\FeaturesUtil::declare_compatibility('custom_order_tables', LOJAL_PLUGIN_FILE, true);
		\Automattic\WooCommerce\Utilities\FeaturesUtil::declare_compatibility('cart_checkout_blocks', LOJAL_PLUGIN_FILE, true);
	}
});

register_activation_hook(__FILE__, [\Lojal\WooCommerce\Installer::class, 'activate']);
register_deactivation_hook(__FILE__, [\Lojal\WooCommerce\Installer::class, 'deactivate']);
register_activation_hook(__FILE__, [\Lojal\WooCommerce\Storefront\AccountPoints::class, 'activate']);

add_action('plugins_loaded', static function (): void {
	\Lojal\WooCommerce\Plugin::boot(LOJAL_PLUGIN_FILE);
});
