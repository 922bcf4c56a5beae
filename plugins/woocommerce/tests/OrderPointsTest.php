<?php
declare(strict_types=1);

use Lojal\WooCommerce\Core\HttpClient;
use Lojal\WooCommerce\Storefront\OrderPoints;
use Lojal\WooCommerce\Storefront\PageBudget;
use PHPUnit\Framework\TestCase;

final class OrderPointsTest extends TestCase {
	private static function points(FakeTransport $t, string $status = 'processing', ?PageBudget $budget = null, ?array &$asked = null): ?array {
		$asked = [];
		$estimate = static function () use (&$asked): array { $asked[] = true; return ['lines' => [['id' => '31', 'quantity' => 2, 'unitPrice' => 1250]]]; };
		return (new OrderPoints(new HttpClient('http://lojal.test', 'k', $t), $budget ?? new PageBudget()))->forOrder('21', $status, $estimate);
	}

	public function testAnAwardedOrderShowsItsAwardAndWhatMovedSince(): void {
		$t = new FakeTransport([['status' => 200, 'body' => '{"orderId":"21","status":"refunded","award":{"points":120,"status":"pending","availableAt":"2026-12-16T12:33:00Z"},"reversed":10,"redeemed":300,"restored":150}']]);
		$points = self::points($t, 'refunded', null, $asked);
		$this->assertSame(['kind' => 'pending', 'points' => 120, 'availableAt' => '2026-12-16T12:33:00Z', 'reversed' => 10, 'redeemed' => 300, 'restored' => 150], $points);
		$this->assertSame([], $asked);
		$date = static fn(string $at): string => substr($at, 0, 10);
		$this->assertSame([
			'This order earns 120 loyalty points, to spend from 2026-12-16 (after the return period).',
			'10 points were taken back for returned items.',
			'300 points were spent on this order.',
			'150 spent points were given back with a refund.',
		], OrderPoints::sentences($points, $date));
		$this->assertSame(['The 1 loyalty point of this order was cancelled.'], OrderPoints::sentences(['kind' => 'void', 'points' => 1, 'availableAt' => null, 'reversed' => 1, 'redeemed' => 0, 'restored' => 0], $date));
		$this->assertSame(['This order earned 120 loyalty points.'], OrderPoints::sentences(['kind' => 'available', 'points' => 120, 'availableAt' => null, 'reversed' => 0, 'redeemed' => 0, 'restored' => 0], $date));
	}

	public function testBeforeItsAwardAnOrderShowsTheEstimateOfItsLinesAndTotalsWithinTheSameBudget(): void {
		$now = 0;
		$budget = new PageBudget(300, static function () use (&$now): int { return $now += 50_000_000; });
		$t = new FakeTransport([['status' => 404, 'body' => '{"code":"not_found"}'], ['status' => 200, 'body' => '{"points":120,"lines":[],"tier":null}']]);
		$this->assertSame(['kind' => 'estimate', 'points' => 120, 'availableAt' => null, 'reversed' => 0, 'redeemed' => 0, 'restored' => 0], self::points($t, 'processing', $budget));
		$this->assertSame(['GET', 'POST'], array_column($t->requests, 'method'));
		$this->assertEqualsWithDelta(0.3, $t->requests[0]['timeout'], 0.0001);
		$this->assertEqualsWithDelta(0.25, $t->requests[1]['timeout'], 0.0001);
		$this->assertSame(['This order earns 120 loyalty points. You can spend them once the return period is over.'], OrderPoints::sentences(self::points(new FakeTransport([['status' => 200, 'body' => '{"orderId":"21","status":"placed","award":null}'], ['status' => 200, 'body' => '{"points":120}']])), 'strval'));
	}

	public function testACancelledOrRefundedOrderWithoutAwardShowsNothing(): void {
		$this->assertNull(self::points(new FakeTransport([['status' => 404, 'body' => '{"code":"not_found"}']]), 'cancelled', null, $asked));
		$this->assertSame([], $asked);
		$this->assertNull(self::points(new FakeTransport([['status' => 200, 'body' => '{"orderId":"21","status":"refunded","award":null}']]), 'processing'));
	}

	public function testNoAnswerOrAnErrorShowsNothing(): void {
		$this->assertNull(self::points(new FakeTransport([['status' => 0, 'error' => 'timed out']]), 'processing', null, $asked));
		$this->assertSame([], $asked);
		$this->assertNull(self::points(new FakeTransport([['status' => 404, 'body' => '<html>Not found</html>']])));
		$this->assertNull(self::points(new FakeTransport([['status' => 404, 'body' => '{"code":"not_found"}'], ['status' => 0, 'error' => 'timed out']])));
		$this->assertNull((new OrderPoints(null, new PageBudget()))->forOrder('21', 'processing', static fn(): ?array => null));
	}
}
