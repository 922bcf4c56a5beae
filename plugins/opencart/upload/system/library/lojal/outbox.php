<?php
declare(strict_types=1);

namespace Lojal\OpenCart;

/**
 * Sends events now, or keeps them in the extension's table for the cron to retry with backoff. While anything is
 * waiting, new events queue behind it, so the service sees an order's events in order; the cron stops at the first
 * event that still fails or is not due yet. An event whose payload could not be built is kept with an empty body
 * ("to be built"): the cron builds it through the `$build` callable, then sends it.
 */
final class Outbox {
	private bool $down = false;
	/** @var callable():int */
	private $clock;

	public function __construct(private OutboxStore $store, private ?Sender $sender, ?callable $clock = null) {
		$this->clock = $clock ?? static fn(): int => time();
	}

	/** Sends the event, or stores it when the service cannot take it now. Returns delivered, waiting or failed. */
	public function dispatch(string $eventId, string $type, string $body): string {
		$now = ($this->clock)();
		if ($this->sender === null || $this->down || $this->store->waiting() > 0) {
			$this->store->add($eventId, $type, $body, 'waiting', 0, $now, $this->sender === null ? 'Not configured yet' : '');
			return 'waiting';
		}
		$r = $this->sender->send($body);
		if ($r['delivered']) return 'delivered';
		$this->down = $r['retryable'];
		$status = $r['retryable'] ? 'waiting' : 'failed';
		$this->store->add($eventId, $type, $body, $status, 1, RetryPolicy::nextAttemptAt(1, $now), $r['error']);
		return $status;
	}

	/** Keeps an acknowledged event whose payload could not be built yet; it is built and sent by the cron. */
	public function later(string $eventId, string $type, string $error): void {
		$now = ($this->clock)();
		$this->store->add($eventId, $type, '', 'waiting', 1, RetryPolicy::nextAttemptAt(1, $now), 'Not built: ' . $error);
	}

	/**
	 * @param ?callable(string $eventId, string $type):string $build builds a kept event's body (throws when it still cannot)
	 * @return array{sent:int, failed:int, waiting:int}
	 */
	public function retryDue(int $limit = 50, ?callable $build = null): array {
		$sent = 0;
		$failed = 0;
		$now = ($this->clock)();
		foreach ($this->sender === null ? [] : $this->store->oldestWaiting($limit) as $row) {
			if ((int)$row['next_attempt_at'] > $now) break;
			$body = (string)$row['body'];
			if ($body === '') {
				try {
					if ($build === null) throw new \RuntimeException('no builder');
					$body = $build((string)$row['event_id'], (string)$row['type']);
					$this->store->setBody((int)$row['delivery_id'], $body);
				} catch (\Throwable $e) {
					$attempts = (int)$row['attempts'] + 1;
					$this->store->update((int)$row['delivery_id'], 'waiting', $attempts, RetryPolicy::nextAttemptAt($attempts, $now), 'Not built: ' . $e->getMessage());
					$failed++;
					break;
				}
			}
			$r = $this->sender->send($body);
			if ($r['delivered']) {
				$this->store->remove((int)$row['delivery_id']);
				$sent++;
				continue;
			}
			$attempts = (int)$row['attempts'] + 1;
			$this->store->update((int)$row['delivery_id'], $r['retryable'] ? 'waiting' : 'failed', $attempts, RetryPolicy::nextAttemptAt($attempts, $now), $r['error']);
			$failed++;
			if ($r['retryable']) break;
		}
		return ['sent' => $sent, 'failed' => $failed, 'waiting' => $this->store->waiting()];
	}
}

/** Where waiting deliveries are kept: OpenCart's database in the shop, memory in the tests. */
interface OutboxStore {
	/** Adds an event unless one with its id is already kept. */
	public function add(string $eventId, string $type, string $body, string $status, int $attempts, int $nextAttemptAt, string $error): void;

	public function waiting(): int;

	/** The oldest waiting rows, oldest first. @return list<array{delivery_id:int|string, body:string, attempts:int|string, next_attempt_at:int|string}> */
	public function oldestWaiting(int $limit): array;

	public function remove(int $deliveryId): void;

	/** Stores the body of an event that was kept to be built. */
	public function setBody(int $deliveryId, string $body): void;

	public function update(int $deliveryId, string $status, int $attempts, int $nextAttemptAt, string $error): void;
}
