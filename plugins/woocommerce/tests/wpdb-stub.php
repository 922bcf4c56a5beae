<?php
declare(strict_types=1);

// WordPress's $wpdb for the points import's tests: the balances of the two points plugins it reads (their tables
// and user meta) in memory, answering the queries Admin\PointsSources makes, each query recorded.

class wpdb {
	public string $prefix = 'wp_';
	public string $users = 'wp_users';
	public string $usermeta = 'wp_usermeta';
	/** @var list<string> every query asked, in order */
	public array $queries = [];

	/** @param array<string, list<array{user_id:string, email:string, points:string}>> $balances source => its customers with points */
	public function __construct(public array $balances = []) {}

	/** The queries asked so far that count a source's customers. */
	public function counts(): int {
		return count(array_filter($this->queries, static fn(string $q): bool => str_contains($q, 'COUNT(')));
	}

	public function prepare(string $query, mixed ...$args): string {
		$args = isset($args[0]) && is_array($args[0]) ? $args[0] : $args;
		return vsprintf(str_replace('%s', "'%s'", $query), array_map('strval', $args));
	}

	public function esc_like(string $text): string {
		return addcslashes($text, '_%\\');
	}

	public function get_var(string $query): mixed {
		$this->queries[] = $query;
		$source = $this->source($query);
		if (str_starts_with($query, 'SHOW TABLES')) return $source === 'wc_points_rewards' ? $this->prefix . 'wc_points_rewards_user_points' : null;
		if (str_contains($query, 'COUNT(')) return (string)count($this->balances[$source] ?? []);
		return $source === 'yith_points' ? '1' : null;
	}

	public function get_results(string $query, string $output = 'OBJECT'): array {
		$this->queries[] = $query;
		preg_match('/LIMIT (\d+), (\d+)$/', $query, $m);
		return array_slice($this->balances[$this->source($query)] ?? [], (int)$m[1], (int)$m[2]);
	}

	/** Which present source a query reads, or null. */
	private function source(string $query): ?string {
		$query = str_replace('\\', '', $query);
		$source = str_contains($query, 'wc_points_rewards') ? 'wc_points_rewards' : (str_contains($query, 'ywpar') ? 'yith_points' : null);
		return $source !== null && isset($this->balances[$source]) ? $source : null;
	}
}
