<?php
declare(strict_types=1);

use Lojal\WooCommerce\Core\Outbox;
use Lojal\WooCommerce\Core\Signer;
use Lojal\WooCommerce\Queue\SendAction;
use Lojal\WooCommerce\Settings;
use PHPUnit\Framework\TestCase;

final class SendActionTest extends TestCase {
	private MemoryEventStore $store;
	private SendAction $action;

	protected function setUp(): void {
		WpStub::reset();
		foreach ([Settings::URL => 'https://lojal.test/', Settings::API_KEY => 'lj_sk_1', Settings::SECRET => 'lj_whsec_1'] as $k => $v) update_option($k, $v);
		$this->store = new MemoryEventStore();
		$services = lojal_services($this->store);
		$services->outbox()->queue(['id' => 'woocommerce:order:1:paid', 'type' => 'order.paid', 'body' => '{"id":"woocommerce:order:1:paid"}']);
		$this->action = new SendAction($services);
		$this->action->register();
	}

	public function testTheActionSendsTheStoredBodySignedThroughWordPress(): void {
		WpStub::$http[] = ['response' => ['code' => 202], 'body' => '{"id":"woocommerce:order:1:paid","status":"applied"}'];
		WpStub::fire(Outbox::HOOK, 'woocommerce:order:1:paid');
		$this->assertSame([], $this->store->rows);
		$this->assertSame('woocommerce:order:1:paid', get_option(Settings::LAST_SENT)['event']);
		[$request] = WpStub::$requests;
		$this->assertSame('https://lojal.test/v1/events', $request['url']);
		$this->assertSame(['POST', '{"id":"woocommerce:order:1:paid"}', 0], [$request['args']['method'], $request['args']['body'], $request['args']['redirection']]);
		$this->assertMatchesRegularExpression('/^t=\d+,v1=[0-9a-f]{64}$/', $request['args']['headers']['Lojal-Signature']);
		[$t] = sscanf($request['args']['headers']['Lojal-Signature'], 't=%d');
		$this->assertSame(Signer::header('lj_whsec_1', '{"id":"woocommerce:order:1:paid"}', $t), $request['args']['headers']['Lojal-Signature']);
		$this->assertLessThanOrEqual(5, $request['args']['timeout']);
	}

	public function testAnOutageIsRecordedAsTheLastErrorAndRetried(): void {
		WpStub::fire(Outbox::HOOK, 'woocommerce:order:1:paid');
		$this->assertSame(['waiting', 1], [$this->store->rows['woocommerce:order:1:paid']['status'], $this->store->rows['woocommerce:order:1:paid']['attempts']]);
		$this->assertSame(['event' => 'woocommerce:order:1:paid', 'error' => 'cURL error 7: Failed to connect'], array_slice(get_option(Settings::LAST_ERROR), 1));
	}

	public function testAnEventGivenUpOnFailsItsActionToo(): void {
		WpStub::$http[] = ['response' => ['code' => 422], 'body' => '{"code":"validation_failed","detail":"/data/order/lines/0/quantity"}'];
		try {
			WpStub::fire(Outbox::HOOK, 'woocommerce:order:1:paid');
			$this->fail('the action should fail');
		} catch (\RuntimeException $e) {
			$this->assertStringContainsString('HTTP 422 validation_failed', $e->getMessage());
		}
		$this->assertSame('failed', $this->store->rows['woocommerce:order:1:paid']['status']);
	}

	public function testWithoutSettingsTheEventWaits(): void {
		delete_option(Settings::SECRET);
		WpStub::fire(Outbox::HOOK, 'woocommerce:order:1:paid');
		$this->assertSame([], WpStub::$requests);
		$this->assertSame(Outbox::NOT_CONFIGURED, $this->store->rows['woocommerce:order:1:paid']['last_error']);
	}
}
