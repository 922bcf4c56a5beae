<?php
declare(strict_types=1);

use Lojal\WooCommerce\Core\HttpClient;
use Lojal\WooCommerce\Storefront\MemberView;
use PHPUnit\Framework\TestCase;

final class MemberViewTest extends TestCase {
	private const MEMBER = '{"customerId":"7","tier":{"id":"bronze","name":"Bronze","next":{"id":"silver","name":"Silver","threshold":500,"remaining":330}},"balance":{"available":50,"pending":120,"held":300},"lifetime":{"earned":170,"redeemed":0,"expired":0},"expiring":[{"points":50,"at":"2027-12-02T12:00:00Z"}]}';

	public function testAMemberWithItsLastTwentyEntriesInWords(): void {
		$entries = [['kind' => 'hold', 'points' => -300, 'createdAt' => '2026-12-03T10:00:00Z'], ['kind' => 'earn', 'points' => 120, 'orderId' => '21', 'createdAt' => '2026-12-02T12:33:00Z']];
		for ($i = 0; $i < 25; $i++) $entries[] = ['kind' => 'expire', 'points' => -1, 'createdAt' => '2026-01-01T00:00:00Z'];
		$t = new FakeTransport([['status' => 200, 'body' => self::MEMBER], ['status' => 200, 'body' => json_encode(['data' => $entries, 'nextCursor' => null])]]);
		$view = MemberView::load(new HttpClient('http://lojal.test', 'k', $t), '7');
		$this->assertSame(['state' => 'member', 'available' => 50, 'pending' => 120, 'held' => 300, 'tier' => 'Bronze', 'next' => ['name' => 'Silver', 'remaining' => 330], 'expiring' => [['points' => 50, 'at' => '2027-12-02T12:00:00Z']]], array_slice($view, 0, 7));
		$this->assertCount(20, $view['activity']);
		$this->assertSame(['at' => '2026-12-03T10:00:00Z', 'text' => 'Points set aside for checkout', 'points' => '(300)', 'debit' => false], $view['activity'][0]);
		$this->assertSame(['text' => 'Points for order #21 (pending)', 'points' => '+120'], array_slice($view['activity'][1], 1, 2));
		$this->assertTrue($view['activity'][2]['debit']);
		$this->assertSame(['http://lojal.test/v1/members/7', 'http://lojal.test/v1/members/7/activity?limit=20'], array_column($t->requests, 'url'));
		$this->assertEqualsWithDelta(1.5, $t->requests[0]['timeout'], 0.001);
		$this->assertLessThanOrEqual(1.5, $t->requests[1]['timeout']);
	}

	public function testAnUnknownMemberHasNoPointsYetAndABare404IsTheServiceNotAnswering(): void {
		$this->assertSame('unknown', MemberView::build(['status' => 404, 'json' => ['code' => 'not_found'], 'error' => 'HTTP 404 not_found'], null)['state']);
		$this->assertSame('unavailable', MemberView::build(['status' => 404, 'json' => null, 'error' => 'HTTP 404'], null)['state']);
	}

	public function testNoAnswerInTimeIsUnavailableAndAMissingActivityIsSaidApart(): void {
		$t = new FakeTransport([['status' => 0, 'error' => 'cURL error 28: Operation timed out after 1500 milliseconds']]);
		$this->assertSame('unavailable', MemberView::load(new HttpClient('http://lojal.test', 'k', $t), '7')['state']);
		$this->assertCount(1, $t->requests);
		$this->assertSame('unavailable', MemberView::load(null, '7')['state']);
		$view = MemberView::build(['status' => 200, 'json' => json_decode(self::MEMBER, true), 'error' => ''], ['status' => 0, 'json' => null, 'error' => 'timeout']);
		$this->assertSame(['member', true, []], [$view['state'], $view['activityError'], $view['activity']]);
	}
}
