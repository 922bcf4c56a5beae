<?php
declare(strict_types=1);

namespace Lojal\WooCommerce\Queue;

use Lojal\WooCommerce\Core\EventStore;

/**
 * Events waiting to be sent, in the plugin's own table (`{prefix}lojal_events`): the body is kept whole, whatever
 * its size (Action Scheduler's arguments only carry the event id).
 */
final class WpdbEventStore implements EventStore {
	public function __construct(private \wpdb $db) {}

	public static function table(string $prefix): string {
		return $prefix . 'lojal_events';
	}

	/** dbDelta's form: two spaces after PRIMARY KEY, one field per line. */
	public static function createTableSql(string $prefix, string $collate): string {
		return 'CREATE TABLE ' . self::table($prefix) . " (
  id bigint(20) unsigned NOT NULL AUTO_INCREMENT,
  event_id varchar(191) NOT NULL,
  type varchar(64) NOT NULL,
  body longtext NOT NULL,
  status varchar(16) NOT NULL DEFAULT 'waiting',
  attempts int(11) NOT NULL DEFAULT 0,
  next_attempt_at bigint(20) NOT NULL DEFAULT 0,
  last_error text NULL,
  created_at bigint(20) NOT NULL DEFAULT 0,
  updated_at bigint(20) NOT NULL DEFAULT 0,
  PRIMARY KEY  (id),
  UNIQUE KEY event_id (event_id),
  KEY status (status, updated_at)
) $collate;";
	}

	private function name(): string {
		return self::table($this->db->prefix);
	}

	public function add(string $eventId, string $type, string $body, int $now): bool {
		$sql = $this->db->prepare(
			'INSERT IGNORE INTO ' . $this->name() . " (event_id, type, body, status, attempts, next_attempt_at, last_error, created_at, updated_at) VALUES (%s, %s, %s, 'waiting', 0, %d, '', %d, %d)",
			$eventId, $type, $body, $now, $now, $now,
		);
		$inserted = $this->db->query($sql);
		if ($inserted === false) throw new \RuntimeException('Lojal could not keep event ' . $eventId . ': ' . $this->db->last_error);
		return $inserted === 1;
	}

	public function find(string $eventId): ?array {
		$row = $this->db->get_row($this->db->prepare('SELECT * FROM ' . $this->name() . ' WHERE event_id = %s', $eventId), ARRAY_A);
		if (!is_array($row)) return null;
		return [
			'event_id' => (string)$row['event_id'],
			'type' => (string)$row['type'],
			'body' => (string)$row['body'],
			'status' => (string)$row['status'],
			'attempts' => (int)$row['attempts'],
			'next_attempt_at' => (int)$row['next_attempt_at'],
			'last_error' => (string)$row['last_error'],
		];
	}

	public function update(string $eventId, string $status, int $attempts, int $nextAttemptAt, string $error, int $now): void {
		$this->db->update($this->name(), ['status' => $status, 'attempts' => $attempts, 'next_attempt_at' => $nextAttemptAt, 'last_error' => mb_substr($error, 0, 1000), 'updated_at' => $now], ['event_id' => $eventId], ['%s', '%d', '%d', '%s', '%d'], ['%s']);
	}

	public function remove(string $eventId): void {
		$this->db->delete($this->name(), ['event_id' => $eventId], ['%s']);
	}

	public function counts(): array {
		$rows = $this->db->get_results('SELECT status, COUNT(*) AS n FROM ' . $this->name() . ' GROUP BY status', ARRAY_A) ?: [];
		$counts = ['waiting' => 0, 'failed' => 0];
		foreach ($rows as $row) $counts[(string)$row['status']] = (int)$row['n'];
		return $counts;
	}

	public function failed(int $limit, bool $oldestFirst = false): array {
		$order = $oldestFirst ? 'id ASC' : 'updated_at DESC, id DESC';
		$rows = $this->db->get_results($this->db->prepare('SELECT event_id, type, attempts, last_error, updated_at FROM ' . $this->name() . " WHERE status = 'failed' ORDER BY $order LIMIT %d", $limit), ARRAY_A) ?: [];
		return array_map(static fn(array $r): array => ['event_id' => (string)$r['event_id'], 'type' => (string)$r['type'], 'attempts' => (int)$r['attempts'], 'last_error' => (string)$r['last_error'], 'updated_at' => (int)$r['updated_at']], $rows);
	}

	/** @return list<string> the ids of events waiting to be sent, oldest first */
	public function waitingIds(int $limit): array {
		return array_map('strval', $this->db->get_col($this->db->prepare('SELECT event_id FROM ' . $this->name() . " WHERE status = 'waiting' ORDER BY id LIMIT %d", $limit)) ?: []);
	}

	/** Whether the table exists at all (before activation, or after uninstall). */
	public function exists(): bool {
		return $this->db->get_var($this->db->prepare('SHOW TABLES LIKE %s', $this->name())) === $this->name();
	}
}
