<?php
declare(strict_types=1);

namespace Lojal\WooCommerce\Storefront;

/**
 * The time one storefront request may spend waiting for the service: 300 ms in all for what renders on a page,
 * whatever the number of calls (the product figures, the cart figure, an order's points). Each call may take what
 * is left; with less than MIN_CALL_MS left no call is made, and the message is left out. Only the waiting counts,
 * not the rest of the page's rendering.
 */
final class PageBudget {
	public const PAGE_MS = 300;
	public const MIN_CALL_MS = 50;

	private static ?self $request = null;
	private int $spentNs = 0;
	/** @var callable(): int */
	private $clock;

	/** @param ?callable(): int $clock monotonic nanoseconds (hrtime by default) */
	public function __construct(private int $totalMs = self::PAGE_MS, ?callable $clock = null) {
		$this->clock = $clock ?? static fn(): int => (int)hrtime(true);
	}

	/** The budget of the current request (made on first use). */
	public static function page(): self {
		return self::$request ??= new self();
	}

	public function leftMs(): int {
		return max(0, $this->totalMs - intdiv($this->spentNs, 1_000_000));
	}

	/**
	 * Runs one call with the time left (at most $capMs), counting what it took; null without running it when
	 * too little is left.
	 * @template T
	 * @param callable(float $timeoutSeconds): T $call
	 * @return ?T
	 */
	public function run(callable $call, int $capMs = self::PAGE_MS): mixed {
		$left = min($this->leftMs(), $capMs);
		if ($left < self::MIN_CALL_MS) return null;
		$started = ($this->clock)();
		try {
			return $call($left / 1000);
		} finally {
			$this->spentNs += max(0, ($this->clock)() - $started);
		}
	}
}
