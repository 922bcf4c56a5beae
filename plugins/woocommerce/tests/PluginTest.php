<?php
declare(strict_types=1);

use Lojal\WooCommerce\Feature;
use Lojal\WooCommerce\Installer;
use Lojal\WooCommerce\Plugin;
use PHPUnit\Framework\TestCase;

final class PluginTest extends TestCase {
	private const MAIN = __DIR__ . '/../lojal/lojal.php';

	protected function setUp(): void {
		WpStub::reset();
	}

	public function testEveryListedFeatureIsAFeature(): void {
		foreach (Plugin::FEATURES as $class) $this->assertTrue(is_subclass_of($class, Feature::class), $class);
	}

	public function testBootRegistersEachFeaturesHooks(): void {
		update_option(Installer::DB_VERSION, Installer::SCHEMA);
		Plugin::boot('/wp-content/plugins/lojal/lojal.php');
		$hooks = array_unique(array_column(WpStub::$hooks, 1));
		foreach (['init', 'lojal_send_event', 'woocommerce_order_status_changed', 'woocommerce_new_order', 'woocommerce_order_refunded',
			'woocommerce_created_customer', 'profile_update', 'woocommerce_update_customer', 'woocommerce_settings_tabs_array',
			'woocommerce_settings_tabs_lojal', 'woocommerce_update_options_lojal', 'wp_ajax_lojal_test_connection',
			'wp_ajax_lojal_import_start', 'wp_ajax_lojal_import_points', 'wp_ajax_lojal_retry_failed'] as $hook) {
			$this->assertContains($hook, $hooks, $hook);
		}
	}

	public function testTheHeaderIsWhatWordPressAndWooCommerceRead(): void {
		$source = (string)file_get_contents(self::MAIN);
		$header = [];
		foreach (['Plugin Name', 'Requires PHP', 'Requires at least', 'WC requires at least', 'WC tested up to', 'Text Domain', 'Domain Path', 'Requires Plugins', 'Version'] as $field) {
			$this->assertMatchesRegularExpression('/^[ \t\/*#@]*' . preg_quote($field, '/') . ':(.*)$/mi', $source, $field);
			preg_match('/^[ \t\/*#@]*' . preg_quote($field, '/') . ':(.*)$/mi', $source, $m);
			$header[$field] = trim($m[1]);
		}
		$this->assertSame(['8.1', '6.9', '9.0', '11.0', 'lojal', '/languages', 'woocommerce'], [$header['Requires PHP'], $header['Requires at least'],
			$header['WC requires at least'], $header['WC tested up to'], $header['Text Domain'], $header['Domain Path'], $header['Requires Plugins']]);
		$this->assertStringContainsString("define('LOJAL_VERSION', '" . $header['Version'] . "')", $source);
	}

	public function testActivationAndDeactivationAreHooked(): void {
		$source = (string)file_get_contents(self::MAIN);
		$this->assertStringContainsString("register_activation_hook(__FILE__, [\\Lojal\\WooCommerce\\Installer::class, 'activate'])", $source);
		$this->assertStringContainsString("register_deactivation_hook(__FILE__, [\\Lojal\\WooCommerce\\Installer::class, 'deactivate'])", $source);
	}

	public function testDeactivationTakesEveryActionOfTheGroupOffIncludingHoldReleases(): void {
		WpStub::$unscheduled = [];
		\Lojal\WooCommerce\Installer::deactivate();
		$this->assertSame([['', [], 'lojal']], WpStub::$unscheduled);
		$this->assertStringContainsString("as_unschedule_all_actions('', [], Outbox::GROUP)", (string)file_get_contents(__DIR__ . '/../lojal/uninstall.php'));
	}

	public function testItDeclaresHposAndCheckoutBlocksCompatibility(): void {
		$source = (string)file_get_contents(self::MAIN);
		$this->assertStringContainsString("add_action('before_woocommerce_init'", $source);
		$this->assertStringContainsString("declare_compatibility('custom_order_tables', LOJAL_PLUGIN_FILE, true)", $source);
		$this->assertStringContainsString("declare_compatibility('cart_checkout_blocks', LOJAL_PLUGIN_FILE, true)", $source);
	}

	public function testOrdersAreReadThroughWooCommerceNeverPostMeta(): void {
		$files = new RecursiveIteratorIterator(new RecursiveDirectoryIterator(__DIR__ . '/../lojal', FilesystemIterator::SKIP_DOTS));
		foreach ($files as $file) {
			if ($file->getExtension() !== 'php') continue;
			$source = (string)file_get_contents((string)$file);
			foreach (['get_post_meta', 'update_post_meta', 'get_post(', 'WP_Query', '->postmeta', 'wp_posts'] as $forbidden) {
				$this->assertStringNotContainsString($forbidden, $source, $file . ' uses ' . $forbidden);
			}
		}
	}
}
