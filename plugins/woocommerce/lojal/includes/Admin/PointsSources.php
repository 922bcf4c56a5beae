<?php
declare(strict_types=1);

namespace Lojal\WooCommerce\Admin;

/**
 * Balances kept by other points plugins, for "Import existing points":
 * - WooCommerce Points and Rewards: `{prefix}wc_points_rewards_user_points`, a customer's balance being the sum
 *   of `points_balance` over their rows (as that plugin sums it);
 * - YITH WooCommerce Points and Rewards: the user meta `_ywpar_user_total_points` (the balance it shows and
 *   exports); its log table `{prefix}yith_ywpar_points_log` only tells that the plugin was used.
 * Only customers with a positive balance count; they are read in user id order, in batches.
 */
final class PointsSources {
	public const YITH_META = '_ywpar_user_total_points';

	public function __construct(private \wpdb $db) {}

	public static function label(string $source): string {
		return $source === 'wc_points_rewards' ? __('WooCommerce Points and Rewards', 'lojal') : __('YITH Points and Rewards', 'lojal');
	}

	/** @return array<string,int> source => customers with points, for the sources present in this shop */
	public function available(): array {
		$out = [];
		foreach (['wc_points_rewards', 'yith_points'] as $source) {
			if ($this->present($source)) $out[$source] = $this->count($source);
		}
		return $out;
	}

	public function present(string $source): bool {
		if ($source === 'wc_points_rewards') return $this->tableExists($this->db->prefix . 'wc_points_rewards_user_points');
		if ($source !== 'yith_points') return false;
		if ($this->tableExists($this->db->prefix . 'yith_ywpar_points_log')) return true;
		return $this->db->get_var($this->db->prepare("SELECT 1 FROM {$this->db->usermeta} WHERE meta_key = %s LIMIT 1", self::YITH_META)) !== null;
	}

	public function count(string $source): int {
		return (int)$this->db->get_var('SELECT COUNT(*) FROM (' . $this->balances($source) . ') b');
	}

	/** @return list<array{user_id:string, email:string, points:string}> */
	public function rows(string $source, int $offset, int $limit): array {
		$sql = $this->balances($source) . $this->db->prepare(' ORDER BY user_id LIMIT %d, %d', $offset, $limit);
		return $this->db->get_results($sql, ARRAY_A) ?: [];
	}

	/** One row per customer with a positive balance: user_id, email, points. */
	private function balances(string $source): string {
		$users = $this->db->users;
		if ($source === 'wc_points_rewards') {
			$table = $this->db->prefix . 'wc_points_rewards_user_points';
			return "SELECT p.user_id AS user_id, u.user_email AS email, SUM(p.points_balance) AS points FROM {$table} p JOIN {$users} u ON u.ID = p.user_id GROUP BY p.user_id, u.user_email HAVING SUM(p.points_balance) > 0";
		}
		if ($source === 'yith_points') {
			return $this->db->prepare("SELECT m.user_id AS user_id, u.user_email AS email, CAST(m.meta_value AS SIGNED) AS points FROM {$this->db->usermeta} m JOIN {$users} u ON u.ID = m.user_id WHERE m.meta_key = %s AND CAST(m.meta_value AS SIGNED) > 0", self::YITH_META);
		}
		throw new \InvalidArgumentException('Unknown points source ' . $source);
	}

	private function tableExists(string $table): bool {
		return $this->db->get_var($this->db->prepare('SHOW TABLES LIKE %s', $this->db->esc_like($table))) === $table;
	}
}
