<?php
declare(strict_types=1);

namespace Lojal\OpenCart;

/**
 * When a failed delivery is tried again, and whether it is worth trying. A delivery is never given up on while the
 * failure may pass (service down, 5xx, rate limit, wrong key or URL the owner can fix): an outage loses no order.
 * A payload the service refuses as invalid (400, 413, 415, 422) will not get better and is kept as failed.
 */
final class RetryPolicy {
	/** Seconds to wait after the n-th failed attempt (1-based); the last figure repeats. */
	public const SCHEDULE = [60, 300, 900, 3600, 10800, 21600, 43200, 86400];

	public static function delayAfter(int $attempts): int {
		$index = max(1, $attempts) - 1;
		return self::SCHEDULE[min($index, count(self::SCHEDULE) - 1)];
	}

	public static function nextAttemptAt(int $attempts, int $now): int {
		return $now + self::delayAfter($attempts);
	}

	/** Status 0 means no answer at all (connection refused, timeout). */
	public static function isRetryable(int $status): bool {
		if ($status === 0 || $status >= 500 || $status === 429) return true;
		return in_array($status, [401, 403, 404, 408], true);
	}

	/** 2xx: applied, duplicate or ignored, all final. */
	public static function isDelivered(int $status): bool {
		return $status >= 200 && $status < 300;
	}
}
