<?php
declare(strict_types=1);

namespace Lojal\WooCommerce;

/**
 * Boots the plugin once WooCommerce is loaded: every feature in FEATURES registers its hooks. A new feature is a
 * class implementing Feature and one line here.
 */
final class Plugin {
	/** @var list<class-string<Feature>> */
	public const FEATURES = [
		Queue\SendAction::class,
		Orders\OrderHooks::class,
		Customers\CustomerHooks::class,
		Admin\SettingsTab::class,
		Admin\AdminAjax::class,
		AdminPanel\PanelPage::class,
		AdminPanel\PanelAjax::class,
		Storefront\ProductEarn::class,
		Storefront\CartEarn::class,
		Storefront\AccountPoints::class,
		Storefront\OrderPointsView::class,
		Spend\SpendPoints::class,
	];

	public static function boot(string $pluginFile): void {
		add_action('init', [self::class, 'loadTextDomain']);
		if (!class_exists('WooCommerce') || !function_exists('as_enqueue_async_action')) {
			add_action('admin_notices', [self::class, 'woocommerceMissing']);
			return;
		}
		$services = new Services($pluginFile);
		Installer::maybeUpgrade();
		foreach (self::FEATURES as $feature) (new $feature($services))->register();
	}

	public static function loadTextDomain(): void {
		load_plugin_textdomain('lojal', false, dirname(plugin_basename(LOJAL_PLUGIN_FILE)) . '/languages');
	}

	public static function woocommerceMissing(): void {
		echo '<div class="notice notice-error"><p>' . esc_html__('Lojal loyalty points needs WooCommerce 9 or newer, active.', 'lojal') . '</p></div>';
	}
}
