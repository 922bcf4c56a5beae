<?php
declare(strict_types=1);

namespace Lojal\OpenCart;

/** The retry table `<prefix>lojal_delivery` through OpenCart's DB object (query(), escape()). */
final class MysqlStore implements OutboxStore {
	public function __construct(private object $db, private string $prefix) {}

	public static function createTableSql(string $prefix): string {
		return 'CREATE TABLE IF NOT EXISTS `' . $prefix . 'lojal_delivery` (
			`delivery_id` INT(11) NOT NULL AUTO_INCREMENT,
			`event_id` VARCHAR(191) NOT NULL,
			`type` VARCHAR(64) NOT NULL,
			`body` MEDIUMTEXT NOT NULL,
			`status` VARCHAR(16) NOT NULL DEFAULT \'waiting\',
			`attempts` INT(11) NOT NULL DEFAULT 0,
			`next_attempt_at` INT(11) NOT NULL DEFAULT 0,
			`last_error` VARCHAR(1000) NOT NULL DEFAULT \'\',
			`date_added` DATETIME NOT NULL,
			`date_modified` DATETIME NOT NULL,
			PRIMARY KEY (`delivery_id`), UNIQUE KEY `event_id` (`event_id`), KEY `due` (`status`, `next_attempt_at`)
		) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4';
	}

	private function table(): string {
		return '`' . $this->prefix . 'lojal_delivery`';
	}

	private function text(string $value, int $max = 0): string {
		return "'" . $this->db->escape($max > 0 ? substr($value, 0, $max) : $value) . "'";
	}

	public function add(string $eventId, string $type, string $body, string $status, int $attempts, int $nextAttemptAt, string $error): void {
		$this->db->query('INSERT IGNORE INTO ' . $this->table() . ' SET `event_id` = ' . $this->text($eventId) . ', `type` = ' . $this->text($type)
			. ', `body` = ' . $this->text($body) . ', `status` = ' . $this->text($status) . ', `attempts` = ' . $attempts
			. ', `next_attempt_at` = ' . $nextAttemptAt . ', `last_error` = ' . $this->text($error, 1000) . ', `date_added` = NOW(), `date_modified` = NOW()');
	}

	public function waiting(): int {
		return (int)($this->db->query('SELECT COUNT(*) AS n FROM ' . $this->table() . " WHERE `status` = 'waiting'")->row['n'] ?? 0);
	}

	public function oldestWaiting(int $limit): array {
		return $this->db->query('SELECT * FROM ' . $this->table() . " WHERE `status` = 'waiting' ORDER BY `delivery_id` LIMIT " . $limit)->rows;
	}

	public function remove(int $deliveryId): void {
		$this->db->query('DELETE FROM ' . $this->table() . ' WHERE `delivery_id` = ' . $deliveryId);
	}

	public function setBody(int $deliveryId, string $body): void {
		$this->db->query('UPDATE ' . $this->table() . ' SET `body` = ' . $this->text($body) . ', `date_modified` = NOW() WHERE `delivery_id` = ' . $deliveryId);
	}

	public function update(int $deliveryId, string $status, int $attempts, int $nextAttemptAt, string $error): void {
		$this->db->query('UPDATE ' . $this->table() . ' SET `status` = ' . $this->text($status) . ', `attempts` = ' . $attempts
			. ', `next_attempt_at` = ' . $nextAttemptAt . ', `last_error` = ' . $this->text($error, 1000) . ', `date_modified` = NOW()'
			. ' WHERE `delivery_id` = ' . $deliveryId);
	}

	/** For the admin's delivery panel. @return array{waiting:int, failed:int, last_error:string, last_error_at:string} */
	public function stats(): array {
		$by = array_column($this->db->query('SELECT `status`, COUNT(*) AS n FROM ' . $this->table() . ' GROUP BY `status`')->rows, 'n', 'status');
		$last = $this->db->query('SELECT `last_error`, `date_modified` FROM ' . $this->table()
			. " WHERE `last_error` <> '' ORDER BY `date_modified` DESC, `delivery_id` DESC LIMIT 1")->row;
		return ['waiting' => (int)($by['waiting'] ?? 0), 'failed' => (int)($by['failed'] ?? 0),
			'last_error' => (string)($last['last_error'] ?? ''), 'last_error_at' => (string)($last['date_modified'] ?? '')];
	}
}
