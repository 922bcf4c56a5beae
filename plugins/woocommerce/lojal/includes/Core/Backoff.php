<?php
declare(strict_types=1);

namespace Lojal\WooCommerce\Core;

/**
 * When a failed delivery is tried again, and whether it is worth trying. The wait doubles from a minute
 * (1, 2, 4 … 1024 minutes), then once a whole day; after that the event is recorded as failed and waits in the
 * delivery panel for "Retry failed events" (about 2.4 days from the first attempt). A refusal that will not
 * change by waiting (a 4xx other than 408 and 429) is final at once.
 */
final class Backoff {
	public const FIRST_SECONDS = 60;
	public const CAP_SECONDS = 86400;

	/** Seconds to wait after the n-th failed attempt (1-based), or null when no attempt is left. */
	public static function delayAfter(int $failures): ?int {
		$failures = max(1, $failures);
		if ($failures > 20) return null;
		$delay = self::FIRST_SECONDS * 2 ** ($failures - 1);
		if ($delay <= self::CAP_SECONDS) return $delay;
		// One wait of the cap once doubling passes it, then none.
		return self::FIRST_SECONDS * 2 ** ($failures - 2) < self::CAP_SECONDS ? self::CAP_SECONDS : null;
	}

	/** 2xx: applied, duplicate or ignored, all final. */
	public static function isDelivered(int $status): bool {
		return $status >= 200 && $status < 300;
	}

	/** Status 0 means no answer at all (connection refused, timeout). A 4xx other than 408 and 429 is final. */
	public static function isRetryable(int $status): bool {
		if ($status >= 400 && $status < 500) return $status === 408 || $status === 429;
		return !self::isDelivered($status);
	}
}
