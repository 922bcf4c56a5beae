<?php
declare(strict_types=1);

use Lojal\WooCommerce\Core\EventStore;
use Lojal\WooCommerce\Core\Scheduler;

/** The event table in memory. */
final class MemoryEventStore implements EventStore {
	/** @var array<string, array> */
	public array $rows = [];

	public function add(string $eventId, string $type, string $body, int $now): bool {
		if (isset($this->rows[$eventId])) return false;
		$this->rows[$eventId] = ['event_id' => $eventId, 'type' => $type, 'body' => $body, 'status' => 'waiting', 'attempts' => 0, 'next_attempt_at' => $now, 'last_error' => '', 'updated_at' => $now];
		return true;
	}

	public function find(string $eventId): ?array {
		return $this->rows[$eventId] ?? null;
	}

	public function update(string $eventId, string $status, int $attempts, int $nextAttemptAt, string $error, int $now): void {
		$this->rows[$eventId] = ['status' => $status, 'attempts' => $attempts, 'next_attempt_at' => $nextAttemptAt, 'last_error' => $error, 'updated_at' => $now] + $this->rows[$eventId];
	}

	public function remove(string $eventId): void {
		unset($this->rows[$eventId]);
	}

	public function counts(): array {
		$statuses = array_column($this->rows, 'status');
		return ['waiting' => count(array_keys($statuses, 'waiting', true)), 'failed' => count(array_keys($statuses, 'failed', true))];
	}

	public function failed(int $limit): array {
		return array_slice(array_values(array_filter($this->rows, static fn(array $r): bool => $r['status'] === 'failed')), 0, $limit);
	}
}

/** Records what would be scheduled. */
final class RecordingScheduler implements Scheduler {
	/** @var list<array{0:?int, 1:string}> [when (null: soon), event id] */
	public array $calls = [];

	public function soon(string $eventId): void {
		$this->calls[] = [null, $eventId];
	}

	public function at(int $unixSeconds, string $eventId): void {
		$this->calls[] = [$unixSeconds, $eventId];
	}
}

/** A transport that answers from a list and records each request. */
final class FakeTransport {
	/** @var list<array{method:string, url:string, headers:array, body:?string, timeout:float}> */
	public array $requests = [];

	/** @param list<array{status:int, body?:string, error?:string}|\Throwable> $answers */
	public function __construct(public array $answers) {}

	public function __invoke(string $method, string $url, array $headers, ?string $body, float $timeout): array {
		$this->requests[] = ['method' => $method, 'url' => $url, 'headers' => $headers, 'body' => $body, 'timeout' => $timeout];
		$answer = array_shift($this->answers) ?? ['status' => 0, 'error' => 'no answer left'];
		if ($answer instanceof \Throwable) throw $answer;
		return ['status' => $answer['status'], 'body' => $answer['body'] ?? '', 'error' => $answer['error'] ?? ''];
	}
}
