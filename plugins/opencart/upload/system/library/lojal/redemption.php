<?php
declare(strict_types=1);

namespace Lojal\OpenCart;

/**
 * Spending points in the cart: the hold kept in the customer's session (id, points, amount in minor units,
 * expiry, the cart's fingerprint), and the discount it gives. The service decides how many points may be spent.
 */
final class CartHold {
	/**
	 * What the hold was made for: the customer, the currency and each line (product, options, quantity, price).
	 * Any change to the cart gives another fingerprint, and the hold is released.
	 * @param array $products $this->cart->getProducts()
	 */
	public static function fingerprint(array $products, int $customerId, string $currency): string {
		$lines = [];
		foreach ($products as $p) {
			$lines[] = [(string)$p['product_id'], Json::encode($p['option'] ?? []), (int)$p['quantity'], round((float)($p['total'] ?? 0), 4)];
		}
		sort($lines);
		return hash('sha256', Json::encode([$customerId, $currency, $lines]));
	}

	/** The discount a hold gives, in the store's currency: its amount, never more than the order's total so far. */
	public static function discount(int $amountMinor, float $total, int $decimals = 2): float {
		return round(min($amountMinor / (10 ** $decimals), max(0.0, $total)), $decimals);
	}

	/** The hold as kept in the session, from the service's answer to POST /v1/redemptions. */
	public static function fromAnswer(array $answer, int $customerId, string $fingerprint): array {
		return ['id' => (string)$answer['id'], 'points' => (int)$answer['points'], 'amount' => (int)$answer['amount'],
			'expiresAt' => (string)($answer['expiresAt'] ?? ''), 'customerId' => $customerId, 'fingerprint' => $fingerprint];
	}

	/** Whether a session's hold still applies to this customer's cart as it is now. */
	public static function applies(?array $hold, int $customerId, string $fingerprint, int $now): bool {
		if (!$hold || $customerId <= 0 || (int)$hold['customerId'] !== $customerId || $hold['fingerprint'] !== $fingerprint) return false;
		$expires = $hold['expiresAt'] !== '' ? strtotime((string)$hold['expiresAt']) : false;
		return $expires === false || $expires > $now;
	}

	/** `pointsRedeemed` for the order's payload; the amount is read from the order's own "lojal" total line. */
	public static function pointsRedeemed(?array $row): ?array {
		return $row ? ['redemptionId' => (string)$row['redemption_id'], 'points' => (int)$row['points']] : null;
	}
}

/** The service's redemption calls (API.md "Redemptions"), answers as HttpClient::json returns them. */
final class Redemptions {
	public function __construct(private HttpClient $client) {}

	public function quote(string $customerId, int $amount, string $currency): array {
		return $this->client->json('POST', '/v1/redemptions/quote', ['customerId' => $customerId, 'orderTotal' => ['amount' => $amount, 'currency' => $currency]]);
	}

	public function hold(string $customerId, int $points, string $cartId): array {
		return $this->client->json('POST', '/v1/redemptions', ['customerId' => $customerId, 'points' => $points, 'cartId' => $cartId]);
	}

	public function cancel(string $id): array {
		return $this->client->json('POST', '/v1/redemptions/' . rawurlencode($id) . '/cancel', []);
	}
}

/** Which hold an order spent, kept so every event of the order (and a rebuilt one) carries it. */
interface RedemptionStore {
	/** @return ?array{redemption_id:string, points:int|string} */
	public function forOrder(int $orderId): ?array;
}

/** `<prefix>lojal_redemption`, created by the total's install; absent, no order carries a redemption. */
final class MysqlRedemptions implements RedemptionStore {
	public function __construct(private object $db, private string $prefix) {}

	public static function createTableSql(string $prefix): string {
		return 'CREATE TABLE IF NOT EXISTS `' . $prefix . 'lojal_redemption` (
			`order_id` INT(11) NOT NULL, `redemption_id` VARCHAR(64) NOT NULL, `points` INT(11) NOT NULL,
			`amount` INT(11) NOT NULL, `date_added` DATETIME NOT NULL, PRIMARY KEY (`order_id`)
		) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4';
	}

	private function exists(): bool {
		return $this->db->query("SHOW TABLES LIKE '" . $this->db->escape($this->prefix . 'lojal_redemption') . "'")->num_rows > 0;
	}

	public function forOrder(int $orderId): ?array {
		if (!$this->exists()) return null;
		return $this->db->query('SELECT * FROM `' . $this->prefix . 'lojal_redemption` WHERE `order_id` = ' . $orderId)->row ?: null;
	}

	public function record(int $orderId, array $hold): void {
		$this->db->query('INSERT IGNORE INTO `' . $this->prefix . 'lojal_redemption` SET `order_id` = ' . $orderId . ", `redemption_id` = '"
			. $this->db->escape((string)$hold['id']) . "', `points` = " . (int)$hold['points'] . ', `amount` = ' . (int)$hold['amount'] . ', `date_added` = NOW()');
	}
}
