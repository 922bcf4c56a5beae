<?php
declare(strict_types=1);

use Lojal\OpenCart\OrderPoints;
use PHPUnit\Framework\TestCase;

final class OrderPointsTest extends TestCase {
	private array $estimates = [];

	private static function order(?array $award, string $status = 'completed', array $moved = []): array {
		return ['status' => 200, 'error' => '', 'json' => ['orderId' => '43', 'status' => $status, 'award' => $award] + $moved + ['reversed' => 0, 'redeemed' => 0, 'restored' => 0]];
	}

	private function points(array $answers, ?int $estimate = 150): ?array {
		$client = new ScriptedClient($answers);
		$result = (new OrderPoints($client))->forOrder('43', function (int $ms) use ($estimate): ?int {
			$this->estimates[] = $ms;
			return $estimate;
		});
		$this->assertSame('/v1/orders/43', $client->calls[0]['path']);
		$this->assertSame(OrderPoints::TIMEOUT_MS, $client->calls[0]['timeout']);
		return $result;
	}

	public function testAnAwardedOrderShowsItsAwardAndWhatWasTakenBackOrSpent(): void {
		$award = ['points' => 202, 'status' => 'pending', 'availableAt' => '2027-01-14T10:00:00.000Z'];
		$this->assertSame(['kind' => 'pending', 'points' => 202, 'availableAt' => '2027-01-14T10:00:00.000Z', 'reversed' => 101, 'redeemed' => 50, 'restored' => 0],
			$this->points([self::order($award, 'completed', ['reversed' => 101, 'redeemed' => 50])]));
		$this->assertSame([], $this->estimates, 'no quote for an awarded order');
	}

	public function testAnOrderNotAwardedYetOrUnknownToTheServiceShowsTheEstimateWithinTheTimeLeft(): void {
		$this->assertSame(['kind' => 'estimate', 'points' => 150, 'availableAt' => null, 'reversed' => 0, 'redeemed' => 0, 'restored' => 0], $this->points([self::order(null, 'paid')]));
		$this->assertSame('estimate', $this->points([['status' => 404, 'json' => ['code' => 'order_not_found'], 'error' => 'HTTP 404']])['kind'] ?? null);
		$this->assertCount(2, $this->estimates);
		foreach ($this->estimates as $ms) $this->assertTrue($ms > 0 && $ms <= OrderPoints::TIMEOUT_MS, "time left $ms");
	}

	public function testNothingIsShownForACancelledOrderAnEstimateOfNothingOrAServiceThatDoesNotAnswer(): void {
		$this->assertNull($this->points([self::order(null, 'cancelled')]));
		$this->assertNull($this->points([self::order(null, 'refunded')]));
		$this->assertSame([], $this->estimates, 'an ended order is not quoted');
		$this->assertNull($this->points([self::order(null)], 0));
		$this->assertNull($this->points([self::order(null)], null), 'the quote timed out');
		$this->assertNull($this->points([['status' => 0, 'json' => null, 'error' => 'Operation timed out after 300 milliseconds']]));
		$this->assertNull($this->points([['status' => 503, 'json' => null, 'error' => 'HTTP 503']]));
		$this->assertCount(2, $this->estimates, 'a service that failed is not asked again');
		$this->assertNull((new OrderPoints(null))->forOrder('43', static fn(): int => 1), 'not configured');
	}

	public function testSentencesSayTheAwardThenWhatWasTakenBackSpentAndGivenBack(): void {
		$say = static fn(string $key, int $n, string ...$args): string => $key . ':' . $n . ($args ? ':' . implode(',', $args) : '');
		$date = static fn(string $iso): string => substr($iso, 0, 10);
		$points = ['kind' => 'pending', 'points' => 202, 'availableAt' => '2027-01-14T10:00:00.000Z', 'reversed' => 101, 'redeemed' => 50, 'restored' => 20];
		$this->assertSame(['lojal_text_order_pending:202:2027-01-14', 'lojal_text_order_reversed:101', 'lojal_text_order_redeemed:50', 'lojal_text_order_restored:20'],
			OrderPoints::sentences($points, $say, $date));
		$this->assertSame(['lojal_text_order_available:202'], OrderPoints::sentences(['kind' => 'available', 'reversed' => 0, 'redeemed' => 0, 'restored' => 0] + $points, $say, $date));
		$this->assertSame(['lojal_text_order_void:202'], OrderPoints::sentences(['kind' => 'void', 'reversed' => 202, 'redeemed' => 0, 'restored' => 0] + $points, $say, $date),
			'a cancelled award is not also "taken back"');
		$this->assertSame(['lojal_text_order_estimate:202'], OrderPoints::sentences(['kind' => 'estimate', 'reversed' => 0, 'redeemed' => 0, 'restored' => 0] + $points, $say, $date));
	}
}
