<?php
declare(strict_types=1);

use Lojal\WooCommerce\Core\HttpClient;
use Lojal\WooCommerce\Spend\HoldKeeper;
use Lojal\WooCommerce\Spend\Redemptions;
use PHPUnit\Framework\TestCase;

final class SpendHoldKeeperTest extends TestCase {
	private const NOW = 1795168800; // 2026-11-20T10:00:00Z
	private ArraySpendSession $session;
	private FakeTransport $http;
	private array $logged = [];

	protected function setUp(): void {
		$this->session = new ArraySpendSession();
		$this->logged = [];
	}

	private function keeper(array $answers, int $now = self::NOW): HoldKeeper {
		$this->http = new FakeTransport($answers);
		return new HoldKeeper($this->session, new Redemptions(new HttpClient('http://lojal.test', 'lj_sk_x', $this->http)), $now, function (string $m): void {
			$this->logged[] = $m;
		});
	}

	private static function quote(int $maxPoints = 800, int $minPoints = 0, int $available = 1200): array {
		return ['status' => 200, 'body' => json_encode(['available' => $available, 'maxPoints' => $maxPoints, 'minPoints' => $minPoints, 'pointValue' => 1, 'maxAmount' => $maxPoints])];
	}

	private static function held(string $id = 'red_01', int $points = 500): array {
		return ['status' => 201, 'body' => json_encode(['id' => $id, 'status' => 'held', 'points' => $points, 'amount' => $points, 'expiresAt' => '2026-11-20T10:30:00Z'])];
	}

	/** @return list<string> "POST /v1/redemptions/quote" … */
	private function calls(): array {
		return array_map(static fn(array $r): string => $r['method'] . ' ' . parse_url($r['url'], PHP_URL_PATH), $this->http->requests);
	}

	public function testUsePointsAsksTheQuoteThenHoldsForTheCartAndKeepsTheHold(): void {
		$r = $this->keeper([self::quote(), self::held()])->apply(7, 500, 'fp', 5500, 'usd');
		$this->assertTrue($r['ok']);
		$this->assertSame(['POST /v1/redemptions/quote', 'POST /v1/redemptions'], $this->calls());
		$this->assertSame(['customerId' => '7', 'orderTotal' => ['amount' => 5500, 'currency' => 'USD']], json_decode($this->http->requests[0]['body'], true));
		$hold = json_decode($this->http->requests[1]['body'], true);
		$this->assertSame(['customerId' => '7', 'points' => 500], array_slice($hold, 0, 2));
		$this->assertMatchesRegularExpression('/^wc-7-[0-9a-f]{16}$/', $hold['cartId']);
		$this->assertSame(['id' => 'red_01', 'points' => 500, 'amount' => 500, 'expiresAt' => '2026-11-20T10:30:00Z', 'customerId' => 7, 'fingerprint' => 'fp'], $this->session->data[HoldKeeper::HOLD]);
		$this->assertSame($hold['cartId'], $this->session->data[HoldKeeper::CART]);
	}

	public function testPointsOutsideTheQuoteAreRefusedWithoutAHold(): void {
		foreach ([[801, 800, 0], [0, 800, 0], [99, 800, 100]] as [$points, $max, $min]) {
			$this->session->data = [];
			$r = $this->keeper([self::quote($max, $min)])->apply(7, $points, 'fp', 5500, 'USD');
			$this->assertSame(['ok' => false, 'error' => 'out_of_range', 'min' => max(1, $min), 'max' => $max], $r, (string)$points);
			$this->assertSame(['POST /v1/redemptions/quote'], $this->calls());
			$this->assertArrayNotHasKey(HoldKeeper::HOLD, $this->session->data);
		}
	}

	public function testAGuestCannotUsePointsAndNothingIsAsked(): void {
		$this->assertSame(['ok' => false, 'error' => 'signed_out'], $this->keeper([])->apply(0, 500, 'fp', 5500, 'USD'));
		$this->assertSame([], $this->calls());
		$this->assertNull($this->keeper([])->quote(0, 5500, 'USD'));
		$this->assertSame([], $this->calls());
	}

	public function testTooFewPointsAndAServiceThatDoesNotAnswerAreSaidSo(): void {
		$r = $this->keeper([self::quote(), ['status' => 409, 'body' => json_encode(['code' => 'insufficient_points', 'detail' => 'Not enough'])]])->apply(7, 500, 'fp', 5500, 'USD');
		$this->assertSame(['ok' => false, 'error' => 'insufficient'], $r);
		$r = $this->keeper([['status' => 0, 'error' => 'Operation timed out']])->apply(7, 500, 'fp', 5500, 'USD');
		$this->assertSame(['ok' => false, 'error' => 'unavailable'], $r);
		$r = $this->keeper([self::quote(), ['status' => 500, 'body' => '{}']])->apply(7, 500, 'fp', 5500, 'USD');
		$this->assertSame('unavailable', $r['error']);
		$this->assertArrayNotHasKey(HoldKeeper::HOLD, $this->session->data);
		$this->assertStringContainsString('holding 500 points failed: HTTP 500', $this->logged[0]);
	}

	public function testUsingPointsAgainReleasesTheEarlierHoldFirst(): void {
		$this->keeper([self::quote(), self::held('red_01')])->apply(7, 500, 'fp', 5500, 'USD');
		$cartId = $this->session->data[HoldKeeper::CART];
		$this->keeper([['status' => 200, 'body' => '{"status":"released"}'], self::quote(), self::held('red_02', 300)])->apply(7, 300, 'fp', 5500, 'USD');
		$this->assertSame(['POST /v1/redemptions/red_01/cancel', 'POST /v1/redemptions/quote', 'POST /v1/redemptions'], $this->calls());
		$this->assertSame('red_02', $this->session->data[HoldKeeper::HOLD]['id']);
		$this->assertSame($cartId, json_decode($this->http->requests[2]['body'], true)['cartId'], 'the same cart');
	}

	public function testTheHoldAppliesWhileTheCartIsUnchanged(): void {
		$this->keeper([self::quote(), self::held()])->apply(7, 500, 'fp', 5500, 'USD');
		$this->assertSame('red_01', $this->keeper([])->current(7, 'fp')['id']);
		$this->assertSame([], $this->calls(), 'nothing asked');
	}

	public function testAChangedCartReleasesTheHoldWithinAPagesTime(): void {
		$this->keeper([self::quote(), self::held()])->apply(7, 500, 'fp', 5500, 'USD');
		$this->assertNull($this->keeper([['status' => 200, 'body' => '{"status":"released"}']])->current(7, 'another cart'));
		$this->assertSame(['POST /v1/redemptions/red_01/cancel'], $this->calls());
		$this->assertSame(Redemptions::PAGE_SECONDS, $this->http->requests[0]['timeout']);
		$this->assertArrayNotHasKey(HoldKeeper::HOLD, $this->session->data);
		$this->assertNull($this->keeper([])->current(7, 'another cart'));
		$this->assertSame([], $this->calls(), 'released once');
	}

	public function testAnExpiredHoldOrAnotherCustomerLetsItGo(): void {
		$this->keeper([self::quote(), self::held()])->apply(7, 500, 'fp', 5500, 'USD');
		$this->assertNull($this->keeper([['status' => 404, 'body' => '{"code":"not_found"}']], strtotime('2026-11-20T10:30:01Z'))->current(7, 'fp'));
		$this->assertSame(['POST /v1/redemptions/red_01/cancel'], $this->calls());
		$this->assertStringContainsString('releasing hold red_01 failed (it expires by itself): HTTP 404 not_found', $this->logged[0]);
		$this->keeper([self::quote(), self::held('red_02')])->apply(7, 500, 'fp', 5500, 'USD');
		$this->assertNull($this->keeper([['status' => 200, 'body' => '{}']])->current(8, 'fp'));
		$this->assertSame(['POST /v1/redemptions/red_02/cancel'], $this->calls());
	}

	public function testRemoveReleasesTheHold(): void {
		$this->keeper([self::quote(), self::held()])->apply(7, 500, 'fp', 5500, 'USD');
		$this->keeper([['status' => 200, 'body' => '{"status":"released"}']])->remove();
		$this->assertSame(['POST /v1/redemptions/red_01/cancel'], $this->calls());
		$this->assertSame(Redemptions::ACTION_SECONDS, $this->http->requests[0]['timeout']);
		$this->assertArrayNotHasKey(HoldKeeper::HOLD, $this->session->data);
	}

	public function testAnOrderTakesOverTheHoldWithoutReleasingItAndTheNextHoldIsForANewCart(): void {
		$this->keeper([self::quote(), self::held()])->apply(7, 500, 'fp', 5500, 'USD');
		$first = $this->session->data[HoldKeeper::CART];
		$this->keeper([])->handOver('red_other');
		$this->assertSame('red_01', $this->session->data[HoldKeeper::HOLD]['id'], 'another hold is not handed over');
		$this->keeper([])->handOver('red_01');
		$this->assertSame([], $this->calls(), 'not released');
		$this->assertSame([], $this->session->data);
		$this->assertNull($this->keeper([])->current(7, 'another cart'));
		$this->assertSame([], $this->calls());
		$this->keeper([self::quote(), self::held('red_02')])->apply(7, 500, 'fp', 5500, 'USD');
		$this->assertNotSame($first, json_decode($this->http->requests[1]['body'], true)['cartId']);
	}

	public function testAQuoteIsKeptAMinutePerTotalAndNotKeptWhenTheServiceIsSlow(): void {
		$this->assertSame(800, $this->keeper([self::quote()])->quote(7, 5500, 'USD')['maxPoints']);
		$this->assertSame(Redemptions::PAGE_SECONDS, $this->http->requests[0]['timeout']);
		$this->assertSame(800, $this->keeper([], self::NOW + 59)->quote(7, 5500, 'USD')['maxPoints']);
		$this->assertSame([], $this->calls());
		$this->assertSame(400, $this->keeper([self::quote(400)], self::NOW + 10)->quote(7, 4000, 'USD')['maxPoints'], 'another total');
		$this->assertSame(300, $this->keeper([self::quote(300)], self::NOW + 80)->quote(7, 4000, 'USD')['maxPoints'], 'a minute later');
		$this->assertNull($this->keeper([['status' => 0, 'error' => 'timed out']], self::NOW + 200)->quote(7, 4000, 'USD'));
		$this->assertNull($this->keeper([['status' => 200, 'body' => '{"maxPoints":"8"}']], self::NOW + 300)->quote(7, 4000, 'USD'), 'not the service');
	}

	public function testWithoutAServiceNoHoldAppliesAndItIsOnlyForgotten(): void {
		$this->session->data[HoldKeeper::HOLD] = ['id' => 'red_01', 'points' => 5, 'amount' => 5, 'expiresAt' => '', 'customerId' => 7, 'fingerprint' => 'fp'];
		$keeper = new HoldKeeper($this->session, null, self::NOW);
		$this->assertNull($keeper->current(7, 'fp'), 'no discount without a service to commit it');
		$this->assertSame([], $this->session->data);
		$this->assertSame(['ok' => false, 'error' => 'unavailable'], $keeper->apply(7, 5, 'fp', 100, 'USD'));
		$this->assertNull($keeper->quote(7, 100, 'USD'));
	}
}
