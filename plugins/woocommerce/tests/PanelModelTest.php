<?php
declare(strict_types=1);

require_once __DIR__ . '/admin-panel-stubs.php';

use Lojal\WooCommerce\AdminPanel\ActivityWords;
use Lojal\WooCommerce\AdminPanel\PanelModel;
use Lojal\WooCommerce\Core\HttpClient;
use PHPUnit\Framework\TestCase;

final class PanelModelTest extends TestCase {
	protected function setUp(): void {
		WpStub::reset();
		AdminPanelStub::reset();
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

	private static function activity(array $entries): array {
		return ['status' => 200, 'error' => '', 'json' => ['nextCursor' => null, 'data' => $entries]];
	}

	public function testAMemberAndItsActivityAsThePanelShowsThem(): void {
		$panel = PanelModel::build(self::member(), self::activity([
			['id' => 'e3', 'kind' => 'adjust', 'points' => -40, 'reason' => 'damaged parcel', 'by' => 'Shop Admin', 'createdAt' => '2026-11-22T09:00:00Z'],
			['id' => 'e2', 'kind' => 'earn', 'points' => 202, 'orderId' => '4', 'createdAt' => '2026-11-21T09:00:00Z'],
			['id' => 'e1', 'kind' => 'bonus', 'points' => 100, 'bonusKind' => 'signup', 'createdAt' => '2026-11-20T09:00:00Z'],
		]), self::date());
		$this->assertSame('member', $panel['state']);
		$this->assertSame(['available' => '1,250', 'pending' => '202', 'held' => '0', 'earned' => '3,000', 'redeemed' => '1,500', 'expired' => '250'], $panel['figures']);
		$this->assertFalse($panel['debt']);
		$this->assertSame(['Silver', '1,001 points to Gold'], [$panel['tier'], $panel['next']]);
		$this->assertSame(['1 point expires on 2027-01-31', '300 points expire on 2027-03-31'], $panel['expiring']);
		$this->assertSame([
			['date' => '2026-11-22', 'text' => 'Adjustment: damaged parcel (by Shop Admin)', 'points' => '−40', 'debit' => true],
			['date' => '2026-11-21', 'text' => 'Earned on order #4 (pending)', 'points' => '+202', 'debit' => false],
			['date' => '2026-11-20', 'text' => 'Sign-up bonus', 'points' => '+100', 'debit' => false],
		], $panel['activity']);
		$this->assertSame('', $panel['activityError']);
	}

	public function testADebtNoTierAndOneToGo(): void {
		$member = self::member();
		$member['json']['balance']['available'] = -1500;
		$member['json']['tier']['next']['remaining'] = 1;
		$panel = PanelModel::build($member, self::activity([]), self::date());
		$this->assertSame(['−1,500', true, '1 point to Gold', []], [$panel['figures']['available'], $panel['debt'], $panel['next'], $panel['activity']]);
		$member['json']['tier']['next'] = null;
		$this->assertSame(['Silver', ''], array_values(array_intersect_key(PanelModel::build($member, null, self::date()), ['tier' => 1, 'next' => 1])));
		$member['json']['tier'] = null;
		$member['json']['expiring'] = [];
		$panel = PanelModel::build($member, null, self::date());
		$this->assertSame(['', '', []], [$panel['tier'], $panel['next'], $panel['expiring']]);
	}

	public function testEveryKindInWordsWithItsOrderAndSignedPoints(): void {
		$cases = [
			[['kind' => 'earn', 'points' => 120, 'orderId' => '55'], 'Earned on order #55 (pending)', '+120'],
			[['kind' => 'mature', 'points' => 120, 'orderId' => '55'], 'Order #55: pending points became available', '+120'],
			[['kind' => 'void', 'points' => -120, 'orderId' => '55'], 'Order #55 cancelled: pending points voided', '−120'],
			[['kind' => 'reverse', 'points' => -10, 'orderId' => '55'], 'Order #55 refunded or returned: points taken back', '−10'],
			[['kind' => 'commit', 'points' => -300, 'orderId' => '56'], 'Spent on order #56', '−300'],
			[['kind' => 'restore', 'points' => 100, 'orderId' => '56'], 'Order #56 refunded: spent points restored', '+100'],
			[['kind' => 'earn', 'points' => 5], 'Earned on an order (pending)', '+5'],
			[['kind' => 'hold', 'points' => -300, 'redemptionId' => 'red_1'], 'Held for a checkout', '(300)'],
			[['kind' => 'release', 'points' => 300], 'Checkout hold released', '(300)'],
			[['kind' => 'expire', 'points' => -2000], 'Expired', '−2,000'],
			[['kind' => 'adjust', 'points' => 50, 'reason' => 'Goodwill'], 'Adjustment: Goodwill', '+50'],
			[['kind' => 'bonus', 'points' => 20, 'bonusKind' => 'custom'], 'Bonus', '+20'],
			[['kind' => 'bonus', 'points' => 20, 'bonusKind' => 'birthday'], 'Birthday bonus', '+20'],
			[['kind' => 'import', 'points' => 40], 'Opening balance imported', '+40'],
			[['kind' => 'writeoff', 'points' => 0], 'Written off (debt forgiven)', '0'],
			[['kind' => 'something-new', 'points' => 1], 'Other change', '+1'],
		];
		foreach ($cases as [$entry, $text, $points]) {
			$this->assertSame([$text, $points], [ActivityWords::phrase($entry), ActivityWords::points($entry)], $entry['kind']);
		}
	}

	public function testAnUnknownCustomerAndAServiceThatDoesNotAnswer(): void {
		$unknown = PanelModel::build(['status' => 404, 'error' => 'HTTP 404 not_found', 'json' => ['code' => 'not_found']], null, self::date());
		$this->assertSame('unknown', $unknown['state']);
		$this->assertStringStartsWith('Lojal does not know this customer yet.', $unknown['message']);
		$bare = PanelModel::build(['status' => 404, 'error' => 'HTTP 404', 'json' => null], null, self::date());
		$this->assertSame(['unavailable', 'The Lojal service cannot be reached right now (HTTP 404). Try again later.'], [$bare['state'], $bare['message']]);
		$timeout = PanelModel::build(['status' => 0, 'error' => 'Operation timed out after 1500 milliseconds', 'json' => null], null, self::date());
		$this->assertSame('The Lojal service cannot be reached right now (Operation timed out after 1500 milliseconds). Try again later.', $timeout['message']);
		$odd = PanelModel::build(['status' => 200, 'error' => '', 'json' => ['hello' => 'world']], null, self::date());
		$this->assertSame(['unavailable', 'The Lojal service cannot be reached right now (HTTP 200). Try again later.'], [$odd['state'], $odd['message']]);
	}

	public function testTheActivityMissingIsSaidAndTheFiguresStay(): void {
		$panel = PanelModel::build(self::member(), ['status' => 0, 'error' => 'timed out', 'json' => null], self::date());
		$this->assertSame(['member', '1,250', 'The activity cannot be shown right now.'], [$panel['state'], $panel['figures']['available'], $panel['activityError']]);
	}

	public function testTwoReadsWithTheReadTimeoutAndNoActivityReadForAnUnknownMember(): void {
		$entries = array_map(static fn(int $i): array => ['id' => 'e' . $i, 'kind' => 'adjust', 'points' => 1, 'reason' => 'r' . $i], range(1, 25));
		$transport = new FakeTransport([['status' => 200, 'body' => json_encode(self::member()['json'])], ['status' => 200, 'body' => json_encode(['data' => $entries])]]);
		[$member, $activity] = PanelModel::fetch(new HttpClient('https://lojal.test', 'lj_sk_1', $transport), 'a b', 1.5);
		$this->assertSame(['https://lojal.test/v1/members/a%20b', 'https://lojal.test/v1/members/a%20b/activity?limit=20'], array_column($transport->requests, 'url'));
		$this->assertSame([1.5, 1.5], array_column($transport->requests, 'timeout'));
		$this->assertCount(20, PanelModel::build($member, $activity, self::date())['activity'], 'the last 20, even if the service sends more');
		$transport = new FakeTransport([['status' => 404, 'body' => '{"code":"not_found"}']]);
		[, $activity] = PanelModel::fetch(new HttpClient('https://lojal.test', 'lj_sk_1', $transport), '9', 1.5);
		$this->assertNull($activity);
		$this->assertCount(1, $transport->requests);
	}
}
