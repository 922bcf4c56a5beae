<?php
declare(strict_types=1);

use Lojal\OpenCart\ActivityWords;
use Lojal\OpenCart\MemberPanel;
use Lojal\OpenCart\Plural;
use PHPUnit\Framework\TestCase;

final class MemberPanelTest extends TestCase {
	private const LANGUAGES = ['en-gb', 'pl-pl', 'ro-ro', 'ru-ru'];

	/** The admin panel's language file, with the admin default file's thousands separator. */
	private static function text(string $lang): callable {
		$_ = ['thousand_point' => $lang === 'en-gb' ? ',' : ' '];
		require __DIR__ . '/../upload/admin/language/' . $lang . '/customer/points.php';
		return static fn(string $key): string => $_[$key] ?? $key;
	}

	private static function date(): callable {
		return static fn(string $at): string => substr($at, 0, 10);
	}

	private static function member(): array {
		return ['status' => 200, 'error' => '', 'json' => [
			'customerId' => '7', 'email' => 'ana@example.com',
			'tier' => ['id' => 'silver', 'name' => 'Silver', 'next' => ['id' => 'gold', 'name' => 'Gold', 'threshold' => 5000, 'remaining' => 1001]],
			'balance' => ['available' => 1250, 'pending' => 202, 'held' => 0],
			'lifetime' => ['earned' => 3000, 'redeemed' => 1500, 'expired' => 250],
			'expiring' => [['points' => 1, 'at' => '2027-01-31T23:00:00Z'], ['points' => 300, 'at' => '2027-03-31T22:00:00Z']],
		]];
	}

	private static function activity(): array {
		return ['status' => 200, 'error' => '', 'json' => ['nextCursor' => null, 'data' => [
			['id' => 'e3', 'kind' => 'adjust', 'points' => -40, 'reason' => 'damaged parcel', 'by' => 'admin', 'createdAt' => '2026-11-22T09:00:00Z'],
			['id' => 'e2', 'kind' => 'earn', 'points' => 202, 'orderId' => '4', 'createdAt' => '2026-11-21T09:00:00Z'],
			['id' => 'e1', 'kind' => 'bonus', 'points' => 100, 'bonusKind' => 'signup', 'createdAt' => '2026-11-20T09:00:00Z'],
		]]];
	}

	public function testAMemberAndItsActivityAsThePanelShowsThem(): void {
		$panel = MemberPanel::build(self::member(), self::activity(), self::text('en-gb'), 'en-gb', self::date());
		$this->assertSame('member', $panel['state']);
		$this->assertSame(['available' => '1,250', 'pending' => '202', 'held' => '0', 'earned' => '3,000', 'redeemed' => '1,500', 'expired' => '250'], $panel['figures']);
		$this->assertSame(['Silver', '1,001 points to Gold'], [$panel['tier'], $panel['next']]);
		$this->assertSame(['1 point expires on 2027-01-31', '300 points expire on 2027-03-31'], $panel['expiring']);
		$this->assertSame([
			['date' => '2026-11-22', 'text' => 'Adjustment: damaged parcel (by admin)', 'points' => '−40', 'debit' => true],
			['date' => '2026-11-21', 'text' => 'Earned on order #4 (pending)', 'points' => '+202', 'debit' => false],
			['date' => '2026-11-20', 'text' => 'Sign-up bonus', 'points' => '+100', 'debit' => false],
		], $panel['activity']);
		$this->assertSame('', $panel['activity_error']);
	}

	public function testPluralFormsAndADebtInTheAdminsLanguage(): void {
		$member = self::member();
		$member['json']['balance']['available'] = -1500;
		$member['json']['tier']['next']['remaining'] = 22;
		$member['json']['expiring'] = [['points' => 21, 'at' => '2027-01-31T23:00:00Z']];
		$panel = MemberPanel::build($member, self::activity(), self::text('ru-ru'), 'ru-ru', self::date());
		$this->assertSame('−1 500', $panel['figures']['available']);
		$this->assertSame('Ещё 22 балла до уровня Gold', $panel['next']);
		$this->assertSame(['21 балл сгорит 2027-01-31'], $panel['expiring']);
		$member['json']['tier']['next']['remaining'] = 25;
		$this->assertSame('25 punktów do poziomu Gold', MemberPanel::build($member, null, self::text('pl-pl'), 'pl-pl', self::date())['next']);
		$this->assertSame('25 de puncte până la nivelul Gold', MemberPanel::build($member, null, self::text('ro-ro'), 'ro-ro', self::date())['next']);
	}

	public function testNoTierNoNextAndNoTiersAtAll(): void {
		$member = self::member();
		$member['json']['tier']['next'] = null;
		$panel = MemberPanel::build($member, self::activity(), self::text('en-gb'), 'en-gb', self::date());
		$this->assertSame(['Silver', ''], [$panel['tier'], $panel['next']]);
		$member['json']['tier'] = null;
		$panel = MemberPanel::build($member, self::activity(), self::text('en-gb'), 'en-gb', self::date());
		$this->assertSame(['', ''], [$panel['tier'], $panel['next']]);
	}

	public function testAnUnknownCustomerAndAServiceThatDoesNotAnswer(): void {
		$text = self::text('en-gb');
		$unknown = MemberPanel::build(['status' => 404, 'error' => 'HTTP 404: Member not found', 'json' => ['code' => 'not_found']], null, $text, 'en-gb', self::date());
		$this->assertSame(['unknown', $text('text_unknown')], [$unknown['state'], $unknown['message']]);
		// Something else at the URL (a proxy, another site) answering 404 is not "unknown customer".
		$elsewhere = MemberPanel::build(['status' => 404, 'error' => 'HTTP 404', 'json' => null], null, $text, 'en-gb', self::date());
		$this->assertSame(['unavailable', 'The Lojal service cannot be reached right now (HTTP 404). Try again later.'], [$elsewhere['state'], $elsewhere['message']]);
		$down = MemberPanel::build(['status' => 0, 'error' => 'Operation timed out after 1500 milliseconds', 'json' => null], null, $text, 'en-gb', self::date());
		$this->assertSame('unavailable', $down['state']);
		$this->assertSame('The Lojal service cannot be reached right now (Operation timed out after 1500 milliseconds). Try again later.', $down['message']);
		$odd = MemberPanel::build(['status' => 200, 'error' => '', 'json' => ['unexpected' => true]], null, $text, 'en-gb', self::date());
		$this->assertSame('unavailable', $odd['state']);
		$noActivity = MemberPanel::build(self::member(), ['status' => 0, 'error' => 'timeout', 'json' => null], $text, 'en-gb', self::date());
		$this->assertSame(['member', [], $text('error_activity')], [$noActivity['state'], $noActivity['activity'], $noActivity['activity_error']]);
	}

	public function testAtMostTwentyEntries(): void {
		$many = self::activity();
		$many['json']['data'] = array_fill(0, 25, ['kind' => 'expire', 'points' => -1, 'createdAt' => '2026-11-20T09:00:00Z']);
		$this->assertCount(20, MemberPanel::build(self::member(), $many, self::text('en-gb'), 'en-gb', self::date())['activity']);
	}

	public function testEveryAdminLanguageHasEveryText(): void {
		$keys = static function (string $lang): array {
			$_ = [];
			require __DIR__ . '/../upload/admin/language/' . $lang . '/customer/points.php';
			return array_keys($_);
		};
		$english = $keys('en-gb');
		foreach (self::LANGUAGES as $lang) {
			$this->assertEqualsCanonicalizing($english, $keys($lang), $lang);
			$text = self::text($lang);
			foreach (ActivityWords::KINDS as $kind) $this->assertNotSame('text_activity_' . $kind, $text('text_activity_' . $kind), $lang . ' ' . $kind);
			foreach ([0, 1, 2, 5, 11, 21, 22, 25, 101, 120] as $n) {
				foreach (['text_next_tier', 'text_expiring'] as $key) {
					$this->assertSame(2, substr_count(Plural::choose($text($key), $n, $lang), '%s'), $lang . ' ' . $key . ' ' . $n);
				}
			}
		}
	}

	public function testThePanelGoesAfterTheFormsCardInsideThePageContent(): void {
		// The shape of customer/customer_form in 4.1 (the form inside the first tab) and 4.0.2.x (the form around the tabs).
		$v41 = '<div id="content"><div class="container-fluid"><div class="card"><div class="tab-content"><div id="tab-general" class="tab-pane"><form></form></div>'
			. '<div id="tab-ip"></div></div></div></div></div><script type="text/javascript">a</script><script>b</script><footer></footer>';
		$v402 = '<div id="content"><div class="container-fluid"><div class="card"><form><div id="tab-general" class="tab-pane"></div></form></div></div></div>'
			. "\n<script type=\"text/javascript\"><!--\n</script><footer></footer>";
		foreach ([$v41, $v402] as $html) {
			$out = MemberPanel::inject($html, '<X/>');
			$this->assertSame(1, substr_count($out, '<X/>'));
			$this->assertStringContainsString('</div></div><X/></div>', $out);
			$this->assertLessThan(strpos($out, '<script'), strpos($out, '<X/>'));
			$this->assertSame($html, str_replace('<X/>', '', $out));
		}
		$this->assertSame('<div id="content">no form</div>', MemberPanel::inject('<div id="content">no form</div>', '<X/>'));
		$this->assertSame('<div id="tab-general"></div>', MemberPanel::inject('<div id="tab-general"></div>', '<X/>'));
	}
}
