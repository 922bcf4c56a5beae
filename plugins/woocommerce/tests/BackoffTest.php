<?php
declare(strict_types=1);

use Lojal\WooCommerce\Core\Backoff;
use PHPUnit\Framework\TestCase;

final class BackoffTest extends TestCase {
	public function testTheWaitDoublesFromAMinuteThenOneDayThenGivesUp(): void {
		$delays = [];
		for ($n = 1; Backoff::delayAfter($n) !== null; $n++) $delays[] = Backoff::delayAfter($n);
		$this->assertSame([60, 120, 240, 480, 960, 1920, 3840, 7680, 15360, 30720, 61440, 86400], $delays);
		$this->assertCount(12, $delays, '13 attempts: the first and one after each wait');
		$this->assertNull(Backoff::delayAfter(13));
		$this->assertNull(Backoff::delayAfter(100));
	}

	public function testWhatIsWorthRetrying(): void {
		foreach ([0, 408, 429, 500, 502, 503, 504, 301] as $status) $this->assertTrue(Backoff::isRetryable($status), (string)$status);
		foreach ([400, 401, 403, 404, 409, 413, 415, 422] as $status) $this->assertFalse(Backoff::isRetryable($status), (string)$status);
		foreach ([200, 202, 204] as $status) {
			$this->assertTrue(Backoff::isDelivered($status));
			$this->assertFalse(Backoff::isRetryable($status));
		}
	}
}
