<?php
declare(strict_types=1);

use Lojal\WooCommerce\Admin\SettingsTab;
use Lojal\WooCommerce\Settings;
use PHPUnit\Framework\TestCase;

/** The API key and the webhook secret on the settings page, through WooCommerce's settings API (settings-stubs.php). */
final class SettingsSecretsTest extends TestCase {
	private const KEY = 'lj_sk_live_7f3a9c1e5b';
	private const SECRET = 'lj_whsec_2d8e4f6a0c';

	private SettingsTab $tab;

	protected function setUp(): void {
		WpStub::reset();
		$this->tab = new SettingsTab(lojal_services());
		$this->tab->register();
		// The form only: the tools below it (ToolsPanel: deliveries, import) read the event table, not these options.
		WpStub::$hooks = array_values(array_filter(WpStub::$hooks, static fn(array $h): bool => $h[1] !== 'woocommerce_admin_field_lojal_tools'));
		foreach ([Settings::ENABLED => 'yes', Settings::URL => 'https://lojal.test', Settings::API_KEY => self::KEY, Settings::SECRET => self::SECRET] as $k => $v) update_option($k, $v);
	}

	private function page(): string {
		ob_start();
		$this->tab->render();
		return (string)ob_get_clean();
	}

	/** The form as a browser submits it, the password fields as typed. */
	private function submit(string $key, string $secret): void {
		$_POST = [Settings::ENABLED => '1', Settings::URL => 'https://lojal.test', Settings::API_KEY => $key, Settings::SECRET => $secret];
		$this->tab->save();
	}

	public function testThePageNeverPrintsTheSavedKeyOrSecretAndSaysTheyAreSaved(): void {
		$html = $this->page();
		$this->assertStringContainsString('value="https://lojal.test"', $html, 'the other fields show what is saved');
		$this->assertStringNotContainsString(self::KEY, $html);
		$this->assertStringNotContainsString(self::SECRET, $html);
		foreach ([Settings::API_KEY, Settings::SECRET] as $id) {
			$this->assertMatchesRegularExpression('/<input name="' . $id . '" id="' . $id . '" type="password" value="" placeholder="Saved — leave empty to keep" autocomplete="new-password"/', $html, $id);
		}
	}

	public function testWithNothingSavedThePlaceholdersShowWhatToPaste(): void {
		delete_option(Settings::API_KEY);
		update_option(Settings::SECRET, '');
		$html = $this->page();
		$this->assertStringContainsString('value="" placeholder="lj_sk_…"', $html);
		$this->assertStringContainsString('value="" placeholder="lj_whsec_…"', $html);
		$this->assertStringNotContainsString('Saved — leave empty to keep', $html);
	}

	public function testSavingWithTheFieldsEmptyKeepsTheSavedKeyAndSecret(): void {
		$this->submit('', '  ');
		$this->assertSame([self::KEY, self::SECRET], [get_option(Settings::API_KEY), get_option(Settings::SECRET)]);
		$this->assertTrue((new Settings())->configured());
	}

	public function testANewKeyOrSecretReplacesTheSavedOne(): void {
		$this->submit(' lj_sk_live_new ', '');
		$this->assertSame(['lj_sk_live_new', self::SECRET], [get_option(Settings::API_KEY), get_option(Settings::SECRET)]);
		$this->submit('', 'lj_whsec_new');
		$this->assertSame(['lj_sk_live_new', 'lj_whsec_new'], [get_option(Settings::API_KEY), get_option(Settings::SECRET)]);
		$this->assertStringNotContainsString('_new', $this->page());
	}
}
