<?php
declare(strict_types=1);

namespace Lojal\WooCommerce\Core;

/**
 * Where events wait until the service has them: the plugin's table in WordPress (Queue\WpdbEventStore), memory
 * in the tests. A row is `waiting` (an action will send it) or `failed` (given up on; "Retry failed events"
 * puts it back); a delivered event is removed.
 */
interface EventStore {
	/** Keeps an event unless one with its id is already kept; true when it was added. */
	public function add(string $eventId, string $type, string $body, int $now): bool;

	/** @return ?array{event_id:string, type:string, body:string, status:string, attempts:int, next_attempt_at:int, last_error:string} */
	public function find(string $eventId): ?array;

	public function update(string $eventId, string $status, int $attempts, int $nextAttemptAt, string $error, int $now): void;

	public function remove(string $eventId): void;

	/** @return list<string> the ids of events waiting to be sent, oldest first */
	public function waitingIds(int $limit): array;

	/** @return array{waiting:int, failed:int} */
	public function counts(): array;

	/**
	 * Failed rows, newest first (for the panel) or oldest first (to send again in the order they happened).
	 * @return list<array{event_id:string, type:string, attempts:int, last_error:string, updated_at:int}>
	 */
	public function failed(int $limit, bool $oldestFirst = false): array;
}
