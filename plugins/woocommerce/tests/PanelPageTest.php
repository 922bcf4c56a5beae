<?php
declare(strict_types=1);

require_once __DIR__ . '/admin-panel-stubs.php';

use Lojal\WooCommerce\AdminPanel\PanelAjax;
use Lojal\WooCommerce\AdminPanel\PanelPage;
use Lojal\WooCommerce\Installer;
use Lojal\WooCommerce\Plugin;
use PHPUnit\Framework\TestCase;

final class PanelPageTest extends TestCase {
	protected function setUp(): void {
		WpStub::reset();
		AdminPanelStub::reset();
		WpStub::$users[7] = (object)['ID' => 7, 'user_email' => 'ana@example.com', 'display_name' => 'Ana Nowak', 'roles' => ['customer']];
		WpStub::$orders[101] = new WC_Order(['id' => 101, 'customer_id' => 7, 'billing_email' => 'ana@example.com']);
		WpStub::$orders[102] = new WC_Order(['id' => 102, 'customer_id' => 0, 'billing_email' => 'guest@example.com']);
	}

	private static function output(callable $call): string {
		ob_start();
		$call();
		return (string)ob_get_clean();
	}

	public function testThePluginBootsThePanelsHooks(): void {
		update_option(Installer::DB_VERSION, Installer::SCHEMA);
		Plugin::boot('/wp-content/plugins/lojal/lojal.php');
		$hooks = array_column(WpStub::$hooks, 1);
		foreach (['show_user_profile', 'edit_user_profile', 'add_meta_boxes', 'wp_ajax_lojal_member_panel', 'wp_ajax_lojal_adjust_points'] as $hook) {
			$this->assertContains($hook, $hooks, $hook);
		}
	}

	public function testACustomersProfileGetsTheCardOthersDoNot(): void {
		$page = new PanelPage(lojal_services());
		$html = self::output(fn() => $page->profile(WpStub::$users[7]));
		$this->assertStringContainsString('Loyalty points (Lojal)', $html);
		$this->assertStringContainsString('data-lojal-kind="user" data-lojal-id="7"', $html);
		$this->assertStringContainsString('Loading the loyalty points…', $html);
		$this->assertSame('', self::output(fn() => $page->profile((object)['ID' => 1, 'roles' => ['administrator']])), 'not for an administrator');
		WpStub::$canManage = false;
		$this->assertSame('', self::output(fn() => $page->profile(WpStub::$users[7])), 'not for who may not edit users');
	}

	public function testTheOrderBoxOnTheHposScreenForTheOrdersCustomer(): void {
		$page = new PanelPage(lojal_services());
		$page->metaBoxes('shop_order', null);
		$this->assertSame([], AdminPanelStub::$metaBoxes, 'not on another screen');
		$page->metaBoxes('woocommerce_page_wc-orders', WpStub::$orders[101]);
		$this->assertCount(1, AdminPanelStub::$metaBoxes);
		$box = AdminPanelStub::$metaBoxes[0];
		$this->assertSame(['lojal-points', 'Loyalty points (Lojal)', 'woocommerce_page_wc-orders', 'normal'], [$box['id'], $box['title'], $box['screen'], $box['context']]);
		$html = self::output(fn() => ($box['callback'])(WpStub::$orders[101]));
		$this->assertStringContainsString('data-lojal-kind="order" data-lojal-id="101"', $html);
		$this->assertStringContainsString('Points of the order&#039;s customer: <a href="http://shop.test/wp-admin/user-edit.php?user_id=7">Ana Nowak &lt;ana@example.com&gt;</a>', $html);
		$guest = self::output(fn() => ($box['callback'])(WpStub::$orders[102]));
		$this->assertStringContainsString('A guest order: its points wait for guest@example.com.', $guest);
		$this->assertStringNotContainsString('data-lojal-kind', $guest, 'nothing to load for a guest');
	}

	public function testTheCustomersNameIsALinkOnlyForWhoMayOpenTheirProfile(): void {
		$page = new PanelPage(lojal_services());
		WpStub::$canManage = false;
		$html = self::output(fn() => $page->metaBox(WpStub::$orders[101]));
		$this->assertStringContainsString('Points of the order&#039;s customer: Ana Nowak &lt;ana@example.com&gt;</p>', $html);
	}

	public function testTheOrderBoxWithPostStorageGivenTheWpPost(): void {
		AdminPanelStub::$orderScreen = 'shop_order';
		$page = new PanelPage(lojal_services());
		$page->metaBoxes('shop_order', new WP_Post(101));
		$this->assertSame('shop_order', AdminPanelStub::$metaBoxes[0]['screen']);
		$html = self::output(fn() => (AdminPanelStub::$metaBoxes[0]['callback'])(new WP_Post(101)));
		$this->assertStringContainsString('data-lojal-kind="order" data-lojal-id="101"', $html);
		WpStub::$canManage = false;
		AdminPanelStub::$metaBoxes = [];
		$page->metaBoxes('shop_order', new WP_Post(101));
		$this->assertSame([], AdminPanelStub::$metaBoxes, 'not for who may not edit orders');
	}

	public function testTheScriptOnlyWhereThePanelIs(): void {
		$page = new PanelPage(lojal_services());
		foreach (['dashboard', 'woocommerce_page_wc-settings', 'edit-shop_order'] as $screen) {
			AdminPanelStub::$screen = $screen;
			$page->assets();
			$this->assertSame([], AdminPanelStub::$scripts, $screen);
		}
		foreach (['profile', 'user-edit', 'woocommerce_page_wc-orders'] as $screen) {
			AdminPanelStub::$screen = $screen;
			AdminPanelStub::$scripts = [];
			$page->assets();
			$this->assertSame(['lojal-admin-panel'], array_keys(AdminPanelStub::$scripts), $screen);
		}
		$this->assertStringEndsWith('/assets/admin-panel.js', AdminPanelStub::$scripts['lojal-admin-panel']);
		$this->assertSame('nonce-' . PanelAjax::NONCE, AdminPanelStub::$localized['lojalPanel']['nonce']);
		$this->assertSame('http://shop.test/wp-admin/admin-ajax.php', AdminPanelStub::$localized['lojalPanel']['ajaxUrl']);
	}
}
