<?php
declare(strict_types=1);

use Lojal\WooCommerce\Admin\AdminAjax;
use Lojal\WooCommerce\Admin\SettingsTab;
use Lojal\WooCommerce\Admin\TestWords;
use Lojal\WooCommerce\Core\StatusMap;
use Lojal\WooCommerce\Settings;
use PHPUnit\Framework\TestCase;

final class AdminTest extends TestCase {
	protected function setUp(): void {
		WpStub::reset();
	}

	private function ajax(callable $call): JsonSent {
		try {
			$call();
		} catch (JsonSent $sent) {
			return $sent;
		}
		$this->fail('no JSON answer');
	}

	public function testTheTabListsEveryOrderStatusWithTheDefaultMapping(): void {
		$fields = array_column((new SettingsTab(lojal_services()))->fields(), null, 'id');
		$this->assertSame('password', $fields[Settings::SECRET]['type']);
		$this->assertSame('checkbox', $fields[Settings::ENABLED]['type']);
		foreach (['pending' => 'placed', 'processing' => 'paid', 'completed' => 'completed', 'failed' => 'cancelled', 'cancelled' => 'cancelled', 'refunded' => 'refunded', 'checkout-draft' => '', 'shipped' => ''] as $status => $kind) {
			$this->assertSame($kind, $fields[StatusMap::OPTION . '[' . $status . ']']['default'], $status);
		}
		$this->assertSame('Shipped', $fields[StatusMap::OPTION . '[shipped]']['title']);
		$this->assertFalse($fields['lojal_tools']['is_option']);
	}

	public function testSavingKeepsOnlyKnownStatusesAndKinds(): void {
		update_option(StatusMap::OPTION, ['processing' => 'paid', 'shipped' => 'completed', 'completed' => 'evil', 'gone' => 'paid']);
		(new SettingsTab(lojal_services()))->save();
		$saved = get_option(StatusMap::OPTION);
		$this->assertSame(['paid', 'completed', ''], [$saved['processing'], $saved['shipped'], $saved['completed']]);
		$this->assertArrayNotHasKey('gone', $saved);
	}

	public function testSavingCompleteSettingsSendsWhatWaitsNow(): void {
		$store = new MemoryEventStore();
		$scheduler = new RecordingScheduler();
		$store->add('e1', 'order.paid', '{}', 1);
		$tab = new SettingsTab(lojal_services($store, $scheduler));
		update_option(Settings::ENABLED, 'yes');
		$tab->save();
		$this->assertSame([], $scheduler->calls, 'not while settings are missing');
		foreach ([Settings::URL => 'https://lojal.test', Settings::API_KEY => 'k', Settings::SECRET => 's'] as $k => $v) update_option($k, $v);
		$tab->save();
		$this->assertSame([['now', 'e1']], $scheduler->calls);
	}

	public function testTheServiceUrlMustBeHttp(): void {
		$tab = new SettingsTab(lojal_services());
		update_option(Settings::URL, 'https://old.example.com');
		$this->assertSame('https://lojal.example.com', $tab->sanitizeUrl(' https://lojal.example.com/ '));
		$this->assertSame('https://old.example.com', $tab->sanitizeUrl('ftp://lojal.example.com'));
		$this->assertCount(1, WpStub::$settingsErrors);
	}

	public function testTestConnectionUsesTheFormsValuesAndWordsTheAnswer(): void {
		update_option(Settings::URL, 'https://saved.example.com');
		$_POST = ['url' => 'https://form.example.com', 'apiKey' => 'lj_sk_form', 'secret' => 'lj_whsec_form'];
		WpStub::$http = [['response' => ['code' => 200], 'body' => '{"currency":"USD","pointsPerUnit":1,"awardOn":"completed"}'], ['response' => ['code' => 422], 'body' => '{"code":"unsupported_event_type"}']];
		$sent = $this->ajax(fn() => (new AdminAjax(lojal_services()))->testConnection());
		$this->assertTrue($sent->success);
		$this->assertSame('Connected. Customers earn 1 point per 1 USD, awarded when an order is completed.', $sent->data['message']);
		$this->assertSame('https://form.example.com/v1/program', WpStub::$requests[0]['url']);
		$this->assertSame('Bearer lj_sk_form', WpStub::$requests[0]['args']['headers']['Authorization']);
	}

	public function testAWrongSecretIsNamed(): void {
		foreach ([Settings::URL => 'https://lojal.test', Settings::API_KEY => 'k', Settings::SECRET => 's'] as $k => $v) update_option($k, $v);
		WpStub::$http = [['response' => ['code' => 200], 'body' => '{"currency":"USD","pointsPerUnit":2,"awardOn":"paid"}'], ['response' => ['code' => 401], 'body' => '{"code":"signature_invalid"}']];
		$sent = $this->ajax(fn() => (new AdminAjax(lojal_services()))->testConnection());
		$this->assertFalse($sent->success);
		$this->assertSame('The API key works, but Lojal refused the webhook secret: HTTP 401 signature_invalid', $sent->data['message']);
	}

	public function testOnlyShopManagersMayUseTheTools(): void {
		WpStub::$canManage = false;
		$sent = $this->ajax(fn() => (new AdminAjax(lojal_services()))->retryFailed());
		$this->assertSame([false, 403], [$sent->success, $sent->status]);
	}

	public function testRetryFailedSaysHowMany(): void {
		$store = new MemoryEventStore();
		$store->add('e1', 'order.paid', '{}', 1);
		$store->update('e1', 'failed', 13, 0, 'HTTP 500', 1);
		$sent = $this->ajax(fn() => (new AdminAjax(lojal_services($store)))->retryFailed());
		$this->assertSame('1 event will be sent again.', $sent->data['message']);
		$this->assertSame('waiting', $store->rows['e1']['status']);
	}

	public function testTheSuccessWordsNoteAnotherCurrencyAndDecimalRates(): void {
		$this->assertSame('Connected. Customers earn 5 points per 1 PLN, awarded when an order is paid. Note: the Lojal program is in PLN but the shop sells in EUR; Lojal refuses orders in another currency.',
			TestWords::success(['currency' => 'PLN', 'pointsPerUnit' => 5, 'awardOn' => 'paid'], 'eur'));
		$this->assertStringContainsString('earn 0.5 points per 1 USD', TestWords::success(['currency' => 'USD', 'pointsPerUnit' => 0.5, 'awardOn' => 'completed'], 'USD'));
		$this->assertSame('Fill in the service URL, the API key and the webhook secret first.', TestWords::failure('config', ''));
	}
}
