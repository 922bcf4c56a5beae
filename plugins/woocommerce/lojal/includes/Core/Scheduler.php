<?php
declare(strict_types=1);

namespace Lojal\WooCommerce\Core;

/** Runs the sending of an event in the background: Action Scheduler in WordPress (Queue\ActionScheduler). */
interface Scheduler {
	/** As soon as possible, after the current request. */
	public function soon(string $eventId): void;

	public function at(int $unixSeconds, string $eventId): void;

	/** As soon as possible, in place of the attempt already scheduled (so one event never has two chains of retries). */
	public function now(string $eventId): void;
}
