<?php
declare(strict_types=1);

namespace Lojal\WooCommerce\Core;

/**
 * Events leave through here: `queue()` keeps the event's exact body durably and schedules its sending, so a
 * checkout or an admin's save never waits on the service; `run()` (the background action) sends it, and on a
 * failure that may pass schedules the next attempt with Backoff, or records it as failed.
 */
final class Outbox {
	public const HOOK = 'lojal_send_event';
	public const GROUP = 'lojal';
	public const NOT_CONFIGURED = 'Lojal is not configured (service URL, API key, webhook secret)';
	/** @var callable():int */
	private $clock;

	public function __construct(private EventStore $store, private Scheduler $scheduler, ?callable $clock = null) {
		$this->clock = $clock ?? static fn(): int => time();
	}

	/** @param array{id:string, type:string, body:string} $event; false when that event id is already waiting */
	public function queue(array $event): bool {
		if (!$this->store->add($event['id'], $event['type'], $event['body'], ($this->clock)())) return false;
		$this->scheduler->soon($event['id']);
		return true;
	}

	/**
	 * One attempt at one event. `$sender` is null while the plugin lacks its settings (retried like an outage).
	 * @return array{result:string, error:string, status:int, attempts:int, retryAt:?int} result: sent, retry, failed or gone
	 */
	public function run(string $eventId, ?Sender $sender): array {
		$row = $this->store->find($eventId);
		if ($row === null || $row['status'] !== 'waiting') return ['result' => 'gone', 'error' => '', 'status' => 0, 'attempts' => 0, 'retryAt' => null];
		$r = ['delivered' => false, 'retryable' => true, 'status' => 0, 'error' => self::NOT_CONFIGURED];
		if ($sender !== null) {
			try {
				$r = $sender->send($row['body']);
			} catch (\Throwable $e) {
				$r = ['delivered' => false, 'retryable' => true, 'status' => 0, 'error' => $e->getMessage()];
			}
		}
		$now = ($this->clock)();
		$attempts = $row['attempts'] + 1;
		if ($r['delivered']) {
			$this->store->remove($eventId);
			return ['result' => 'sent', 'error' => '', 'status' => $r['status'], 'attempts' => $attempts, 'retryAt' => null];
		}
		$delay = $r['retryable'] ? Backoff::delayAfter($attempts) : null;
		if ($delay === null) {
			$this->store->update($eventId, 'failed', $attempts, 0, $r['error'], $now);
			return ['result' => 'failed', 'error' => $r['error'], 'status' => $r['status'], 'attempts' => $attempts, 'retryAt' => null];
		}
		$this->store->update($eventId, 'waiting', $attempts, $now + $delay, $r['error'], $now);
		$this->scheduler->at($now + $delay, $eventId);
		return ['result' => 'retry', 'error' => $r['error'], 'status' => $r['status'], 'attempts' => $attempts, 'retryAt' => $now + $delay];
	}

	/**
	 * Tries every waiting event now rather than at its next backoff: after the settings were saved (a key or URL
	 * fixed, the plugin configured at last). An event that meanwhile went out is skipped by its action. Returns how many.
	 */
	public function sendWaitingNow(int $limit = 500): int {
		$ids = $this->store->waitingIds($limit);
		foreach ($ids as $id) $this->scheduler->now($id);
		return count($ids);
	}

	/**
	 * "Retry failed events": every failed event waits again, from its first attempt, scheduled in the order the
	 * events were first kept (an order's paid before its refund). Returns how many.
	 */
	public function retryFailed(int $limit = 500): int {
		$n = 0;
		foreach ($this->store->failed($limit, true) as $row) {
			$this->store->update($row['event_id'], 'waiting', 0, ($this->clock)(), $row['last_error'], ($this->clock)());
			$this->scheduler->soon($row['event_id']);
			$n++;
		}
		return $n;
	}
}
