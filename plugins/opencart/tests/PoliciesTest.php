<?php
declare(strict_types=1);

use Lojal\OpenCart\RetryPolicy;
use Lojal\OpenCart\Signer;
use Lojal\OpenCart\StatusMap;
use PHPUnit\Framework\TestCase;

final class PoliciesTest extends TestCase {
	public function testTheSignatureIsHmacSha256OfTimeDotBody(): void {
		$this->assertSame('t=1700000000,v1=' . hash_hmac('sha256', '1700000000.{"a":1}', 'whsec'), Signer::header('whsec', '{"a":1}', 1700000000));
	}

	public function testBackoffGrowsThenStaysAtADay(): void {
		$delays = array_map([RetryPolicy::class, 'delayAfter'], range(1, 10));
		$this->assertSame([60, 300, 900, 3600, 10800, 21600, 43200, 86400, 86400, 86400], $delays);
		$this->assertSame(1000 + 300, RetryPolicy::nextAttemptAt(2, 1000));
	}

	/** @return array<string,array{int,bool,bool}> */
	public static function statuses(): array {
		return [
			'accepted' => [202, true, false], 'no answer' => [0, false, true], 'server error' => [503, false, true],
			'rate limited' => [429, false, true], 'wrong key' => [401, false, true], 'wrong url' => [404, false, true],
			'invalid payload' => [400, false, false], 'unprocessable' => [422, false, false], 'media type' => [415, false, false],
		];
	}

	/** @dataProvider statuses */
	public function testWhatIsDeliveredAndWhatIsRetried(int $status, bool $delivered, bool $retryable): void {
		$this->assertSame($delivered, RetryPolicy::isDelivered($status));
		$this->assertSame($retryable, RetryPolicy::isRetryable($status));
	}

	public function testDefaultsComeFromTheShopsStatusLists(): void {
		// Pending (1), a new order's status before payment, is in OpenCart's processing list but is not paid.
		$defaults = StatusMap::defaults(['5', '1', '2', '12', '3'], ['5', '3'], 1);
		$this->assertSame(['paid' => [2], 'completed' => [5, 3], 'cancelled' => [7, 8, 10, 14, 16], 'refunded' => [11, 12, 13]], $defaults);
	}

	public function testTheStrongestMappingWins(): void {
		$map = new StatusMap(['paid' => [1, 2, 5], 'completed' => [5], 'cancelled' => [7], 'refunded' => [11, 7]]);
		$this->assertSame('order.paid', $map->typeFor(2));
		$this->assertSame('order.completed', $map->typeFor(5));
		$this->assertSame('order.refunded', $map->typeFor(7));
		$this->assertNull($map->typeFor(99));
		$this->assertSame('complete', $map->statusWord(5));
		$this->assertSame('pending', $map->statusWord(99));
	}
}
