<?php
declare(strict_types=1);

require_once __DIR__ . '/admin-panel-stubs.php';

use Lojal\WooCommerce\AdminPanel\PanelAjax;
use Lojal\WooCommerce\AdminPanel\PanelPage;
use Lojal\WooCommerce\AdminPanel\Target;
use Lojal\WooCommerce\Settings;
use PHPUnit\Framework\TestCase;

final class PanelAjaxTest extends TestCase {
	private const KEY = 'wc-adjust-0123456789abcdef0123456789abcdef';

	protected function setUp(): void {
		WpStub::reset();
		AdminPanelStub::reset();
		$_REQUEST = [];
		WpStub::$users[7] = (object)['ID' => 7, 'user_email' => 'ana@example.com', 'roles' => ['customer']];
		WpStub::$users[2] = (object)['ID' => 2, 'user_email' => 'ed@example.com', 'roles' => ['editor']];
		WpStub::$orders[101] = new WC_Order(['id' => 101, 'customer_id' => 7, 'billing_email' => 'ana@example.com']);
		WpStub::$orders[102] = new WC_Order(['id' => 102, 'customer_id' => 0, 'billing_email' => 'guest@example.com']);
		WpStub::$orders[201] = new WC_Order_Refund(['id' => 201, 'customer_id' => 7]);
		foreach ([Settings::ENABLED => 'yes', Settings::URL => 'https://lojal.test', Settings::API_KEY => 'lj_sk_1', Settings::SECRET => 'lj_whsec_1'] as $k => $v) update_option($k, $v);
	}

	private function ajax(callable $call): JsonSent {
		try {
			$call();
		} catch (JsonSent $sent) {
			return $sent;
		}
		$this->fail('no JSON answer');
	}

	private static function answer(int $status, array $json): array {
		return ['response' => ['code' => $status], 'body' => json_encode($json)];
	}

	private static function member(): array {
		return ['customerId' => '7', 'tier' => null, 'balance' => ['available' => 80, 'pending' => 0, 'held' => 0], 'lifetime' => ['earned' => 80, 'redeemed' => 0, 'expired' => 0], 'expiring' => []];
	}

	public function testWhoMaySeeWhosePoints(): void {
		$caps = static fn(string ...$granted): callable => static fn(string $cap, mixed ...$args): bool => in_array($cap, $granted, true);
		$this->assertSame(['customerId' => '7', 'error' => '', 'guestEmail' => ''], Target::resolve(['user' => '7'], $caps('edit_users', 'edit_user')));
		$this->assertSame('forbidden_view', Target::resolve(['user' => '7'], $caps('edit_shop_orders', 'manage_woocommerce'))['error'], 'the profile needs edit_users');
		$this->assertSame('forbidden_view', Target::resolve(['user' => '7'], $caps('edit_users'))['error'], 'and edit_user on that user');
		$this->assertSame('no_customer', Target::resolve(['user' => '2'], $caps('edit_users', 'edit_user'))['error'], 'an editor is not a customer');
		$this->assertSame('no_customer', Target::resolve(['user' => '99'], $caps('edit_users', 'edit_user'))['error']);
		$this->assertSame(['customerId' => '7', 'error' => '', 'guestEmail' => ''], Target::resolve(['order' => '101'], $caps('edit_shop_orders')), "the order's customer");
		$this->assertSame('forbidden_view', Target::resolve(['order' => '101'], $caps('edit_users', 'edit_user'))['error'], 'the order screen needs edit_shop_orders');
		$this->assertSame(['customerId' => null, 'error' => 'no_customer', 'guestEmail' => 'guest@example.com'], Target::resolve(['order' => '102'], $caps('edit_shop_orders')));
		$this->assertSame('no_customer', Target::resolve(['order' => '201'], $caps('edit_shop_orders'))['error'], 'a refund is not an order');
		$this->assertTrue(Target::canAdjust($caps('manage_woocommerce')));
		$this->assertFalse(Target::canAdjust($caps('edit_users', 'edit_user', 'edit_shop_orders')));
		add_filter('lojal_send_customer', static fn(bool $is, object $user): bool => $is || in_array('editor', $user->roles, true), 10, 2);
		$this->assertSame('2', Target::resolve(['user' => '2'], $caps('edit_users', 'edit_user'))['customerId'], 'the filter CustomerHooks sends by');
	}

	public function testThePanelOfACustomerFromTheServicesAnswersWithAFreshFormKey(): void {
		$_REQUEST = ['user' => '7'];
		WpStub::$http = [self::answer(200, self::member()), self::answer(200, ['data' => [['id' => 'e1', 'kind' => 'adjust', 'points' => 80, 'reason' => 'Welcome', 'by' => 'Shop Admin', 'createdAt' => '2026-11-20T09:00:00Z']]])];
		update_option('date_format', 'j M Y');
		$sent = $this->ajax(fn() => (new PanelAjax(lojal_services()))->panel());
		$this->assertTrue($sent->success);
		$html = $sent->data['html'];
		$this->assertStringContainsString('<strong>80</strong>', $html);
		$this->assertStringContainsString('Adjustment: Welcome (by Shop Admin)', $html);
		$this->assertStringContainsString('20 Nov 2026', $html);
		$this->assertMatchesRegularExpression('/data-lojal-field="idempotency_key" value="wc-adjust-[0-9a-f]{32}"/', $html);
		$this->assertDoesNotMatchRegularExpression('/<form|\sname=/', $html, 'no form and no named field inside the profile\'s own form');
		$this->assertSame(['https://lojal.test/v1/members/7', 'https://lojal.test/v1/members/7/activity?limit=20'], array_column(WpStub::$requests, 'url'));
		$this->assertSame([1.5, 1.5], array_map(static fn(array $r): float => $r['args']['timeout'], WpStub::$requests));
		WpStub::$http = [self::answer(200, self::member()), self::answer(200, ['data' => []])];
		$again = $this->ajax(fn() => (new PanelAjax(lojal_services()))->panel());
		preg_match_all('/wc-adjust-[0-9a-f]{32}/', $html . $again->data['html'], $keys);
		$this->assertCount(2, array_unique($keys[0]), 'each rendered form has its own key');
	}

	public function testWithoutManageWooCommerceThePanelIsViewOnlyAndAdjustingIsRefused(): void {
		$viewer = new PanelAjax(lojal_services(), static fn(string $cap): bool => $cap === 'edit_shop_orders');
		$_REQUEST = ['order' => '101'];
		WpStub::$http = [self::answer(200, self::member()), self::answer(200, ['data' => []])];
		$html = $this->ajax(fn() => $viewer->panel())->data['html'];
		$this->assertStringContainsString('<strong>80</strong>', $html);
		$this->assertStringContainsString('You can see the points but not adjust them', $html);
		$this->assertStringNotContainsString('data-lojal-submit', $html);
		$this->assertStringNotContainsString('wc-adjust-', $html);
		$_POST = ['order' => '101', 'points' => '5', 'reason' => 'x', 'idempotency_key' => self::KEY];
		$refused = $this->ajax(fn() => $viewer->adjust());
		$this->assertSame([false, 403], [$refused->success, $refused->status]);
		$this->assertStringContainsString('Manage WooCommerce', $refused->data['errors']['warning']);
		$this->assertCount(2, WpStub::$requests, 'the two reads, no adjustment');
	}

	public function testWhyThereIsNoPanel(): void {
		$_REQUEST = ['order' => '102'];
		$guest = $this->ajax(fn() => (new PanelAjax(lojal_services()))->panel());
		$this->assertStringContainsString('A guest order: its points wait for guest@example.com.', $guest->data['html']);
		$this->assertSame([], WpStub::$requests, 'a guest order asks the service nothing');
		$_REQUEST = ['user' => '7'];
		WpStub::$http = [self::answer(404, ['code' => 'not_found'])];
		$this->assertStringContainsString('Lojal does not know this customer yet.', $this->ajax(fn() => (new PanelAjax(lojal_services()))->panel())->data['html']);
		WpStub::$http = [];
		$down = $this->ajax(fn() => (new PanelAjax(lojal_services()))->panel());
		$this->assertStringContainsString('The Lojal service cannot be reached right now (cURL error 7: Failed to connect).', $down->data['html']);
		$this->assertStringContainsString('data-lojal-reload', $down->data['html']);
		$this->assertSame(['Lojal: the points panel of customer 7 could not be read: cURL error 7: Failed to connect'], WpStub::$errors, 'logged, the cause in English');
		update_option(Settings::ENABLED, 'no');
		$off = $this->ajax(fn() => (new PanelAjax(lojal_services()))->panel());
		$this->assertStringContainsString('Lojal is not set up or is switched off', $off->data['html']);
		WpStub::$canManage = false;
		$forbidden = $this->ajax(fn() => (new PanelAjax(lojal_services()))->panel());
		$this->assertSame([false, 403], [$forbidden->success, $forbidden->status]);
	}

	public function testAnAdjustmentIsCheckedThenSentOnceInTheUsersName(): void {
		$_POST = ['user' => '7', 'points' => '0', 'reason' => '<b></b>', 'idempotency_key' => self::KEY];
		$invalid = $this->ajax(fn() => (new PanelAjax(lojal_services()))->adjust());
		$this->assertSame(['points' => 'The points cannot be 0.', 'reason' => 'Enter a reason.'], $invalid->data['errors']);
		$this->assertSame([], WpStub::$requests, 'nothing sent');
		$_POST = ['order' => '101', 'points' => '150', 'reason' => 'Goodwill for a late parcel', 'idempotency_key' => self::KEY];
		WpStub::$http = [self::answer(201, ['id' => 'e9', 'kind' => 'adjust', 'points' => 150])];
		$ok = $this->ajax(fn() => (new PanelAjax(lojal_services()))->adjust());
		$this->assertSame([true, '150 points added.', true], [$ok->success, $ok->data['message'], $ok->data['reload']]);
		$this->assertArrayNotHasKey('key', $ok->data, 'after a success the panel reloads with a new form');
		$request = WpStub::$requests[0];
		$this->assertSame('https://lojal.test/v1/members/7/adjustments', $request['url']);
		$this->assertSame(self::KEY, $request['args']['headers']['Idempotency-Key']);
		$this->assertSame(5.0, $request['args']['timeout']);
		$this->assertSame(['points' => 150, 'reason' => 'Goodwill for a late parcel', 'by' => 'Shop Admin'], json_decode($request['args']['body'], true));
		AdminPanelStub::$user = (object)['ID' => 3, 'user_login' => 'marta', 'display_name' => ''];
		$this->assertSame('marta', PanelAjax::by(), 'the login when there is no display name');
	}

	public function testARefusalThatWroteNothingBringsANewKeyATimeoutKeepsIt(): void {
		$_POST = ['user' => '7', 'points' => '-5000', 'reason' => 'Fraud', 'idempotency_key' => self::KEY];
		WpStub::$http = [self::answer(409, ['code' => 'insufficient_points', 'detail' => 'Available 80, requested 5000'])];
		$over = $this->ajax(fn() => (new PanelAjax(lojal_services()))->adjust());
		$this->assertFalse($over->success);
		$this->assertStringContainsString('Nothing was changed', $over->data['message']);
		$this->assertMatchesRegularExpression('/^wc-adjust-[0-9a-f]{32}$/', $over->data['key']);
		$this->assertNotSame(self::KEY, $over->data['key']);
		$this->assertFalse($over->data['reload']);
		$this->assertSame([], WpStub::$errors, 'an overdraw refused is no error of the plugin');
		WpStub::$http = [new WP_Error('http_request_failed', 'cURL error 28: Operation timed out after 5000 milliseconds')];
		$timeout = $this->ajax(fn() => (new PanelAjax(lojal_services()))->adjust());
		$this->assertArrayNotHasKey('key', $timeout->data);
		$this->assertStringContainsString('Sending the same form again is safe', $timeout->data['message']);
		$this->assertSame(['Lojal: an adjustment of customer 7 got no usable answer: cURL error 28: Operation timed out after 5000 milliseconds'], WpStub::$errors);
	}

	public function testAdjustingNeedsManageWooCommerceAndAConfiguredService(): void {
		$_POST = ['user' => '7', 'points' => '5', 'reason' => 'x', 'idempotency_key' => self::KEY];
		WpStub::$canManage = false;
		$forbidden = $this->ajax(fn() => (new PanelAjax(lojal_services()))->adjust());
		$this->assertSame([false, 403], [$forbidden->success, $forbidden->status]);
		WpStub::$canManage = true;
		update_option(Settings::API_KEY, '');
		$this->assertStringContainsString('not set up', $this->ajax(fn() => (new PanelAjax(lojal_services()))->adjust())->data['errors']['warning']);
		$this->assertSame([], WpStub::$requests);
	}
}
