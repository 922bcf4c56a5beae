<?php
declare(strict_types=1);

namespace Lojal\WooCommerce\Core;

/**
 * The service remembered as down. After a call that got no answer at all (status 0: refused, timed out), the calls
 * that pages make while they render (the earning quote's figures, the spending quote's box) are not tried for
 * SECONDS, so an outage costs one page its wait, not every page; the first call after that tries again. One place
 * for all of them (Services::pause() in WordPress, a transient every request sees). It keeps the time the pause
 * ends, so it holds no longer than SECONDS even where the cache keeps entries longer.
 */
final class ServicePause {
	public const SECONDS = 30;
	public const KEY = 'lojal_quote_down';

	/** @var callable(string): mixed */
	private $get;
	/** @var callable(string, mixed, int): void */
	private $set;
	/** @var callable(): int */
	private $clock;

	/**
	 * @param callable(string $key): mixed $get null/false when absent (get_transient)
	 * @param callable(string $key, mixed $value, int $seconds): void $set (set_transient)
	 * @param ?callable(): int $clock Unix seconds (time() by default)
	 */
	public function __construct(callable $get, callable $set, ?callable $clock = null) {
		$this->get = $get;
		$this->set = $set;
		$this->clock = $clock ?? static fn(): int => time();
	}

	/** Whether a call that got no answer was made less than SECONDS ago. */
	public function active(): bool {
		$until = ($this->get)(self::KEY);
		return is_numeric($until) && (int)$until > ($this->clock)();
	}

	/** Notes a call's answer (HttpClient's {status, …}): one with no answer at all starts a pause. */
	public function note(array $answer): void {
		if (($answer['status'] ?? 0) === 0) ($this->set)(self::KEY, ($this->clock)() + self::SECONDS, self::SECONDS);
	}
}
