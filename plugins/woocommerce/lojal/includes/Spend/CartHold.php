<?php
declare(strict_types=1);

namespace Lojal\WooCommerce\Spend;

use Lojal\WooCommerce\Core\Json;

/**
 * Spending points in a cart, the plain rules (no WordPress): the hold as kept in the customer's session (the
 * service's id, points, amount in minor units, expiry, the customer and a fingerprint of the cart it was made for),
 * whether it still applies, the discount it gives, and what the order keeps of it. The service decides how many
 * points may be spent; the plugin only asks (quote), holds, and lets go.
 */
final class CartHold {
	/** The id of the cart fee that is the points' discount: this prefix and the hold's id (a new hold, another fee). */
	public const FEE_PREFIX = 'lojal_points_';

	/**
	 * What a hold was made for: the customer, the currency and each line (product, variation, quantity, unit price
	 * in minor units), in any order. Any change to the cart gives another fingerprint, and the hold is let go.
	 * @param list<array{product:int|string, variation:int|string, quantity:int|string, price:int}> $lines
	 */
	public static function fingerprint(array $lines, int $customerId, string $currency): string {
		$rows = [];
		foreach ($lines as $line) {
			$rows[] = [(int)$line['product'], (int)($line['variation'] ?? 0), (int)$line['quantity'], (int)$line['price']];
		}
		sort($rows);
		return hash('sha256', Json::encode([$customerId, strtoupper($currency), $rows]));
	}

	/** The discount a hold gives, in minor units: its amount, never more than what the order has to pay so far. */
	public static function discount(int $amount, int $payable): int {
		return max(0, min($amount, $payable));
	}

	/**
	 * The hold as kept in the session, from the service's answer to POST /v1/redemptions (201), or null for an
	 * answer without an id.
	 */
	public static function fromAnswer(mixed $answer, int $customerId, string $fingerprint): ?array {
		if (!is_array($answer) || empty($answer['id']) || !is_int($answer['points'] ?? null) || !is_int($answer['amount'] ?? null)) return null;
		return [
			'id' => (string)$answer['id'],
			'points' => $answer['points'],
			'amount' => $answer['amount'],
			'expiresAt' => (string)($answer['expiresAt'] ?? ''),
			'customerId' => $customerId,
			'fingerprint' => $fingerprint,
		];
	}

	/** Whether a session's hold still applies to this signed-in customer's cart as it is now (and has not expired). */
	public static function applies(mixed $hold, int $customerId, string $fingerprint, int $now): bool {
		if (!is_array($hold) || empty($hold['id']) || $customerId <= 0) return false;
		if ((int)($hold['customerId'] ?? 0) !== $customerId || ($hold['fingerprint'] ?? '') !== $fingerprint) return false;
		$expires = ($hold['expiresAt'] ?? '') !== '' ? strtotime((string)$hold['expiresAt']) : false;
		return $expires === false || $expires > $now;
	}

	/** The cart fee's id for a hold; the fee's id names the hold so the order's fee line can be traced to it. */
	public static function feeId(array $hold): string {
		return self::FEE_PREFIX . preg_replace('/[^A-Za-z0-9_]/', '', (string)$hold['id']);
	}

	/**
	 * Order meta `_lojal_redemption` (OrderPayload::REDEMPTION_META), what every event of the order carries as
	 * `pointsRedeemed`: the hold's id and points, and the discount the order actually got (its fee line, which may
	 * be less than the hold's amount when the order came to less).
	 * @return array{redemptionId:string, points:int, amount:int}
	 */
	public static function orderMeta(array $hold, int $discount): array {
		return ['redemptionId' => (string)$hold['id'], 'points' => (int)$hold['points'], 'amount' => max(0, $discount)];
	}

	/** Minor units as WooCommerce's decimal text ("-5.00"), built from integers, no float in between. */
	public static function decimal(int $minor, int $decimals): string {
		$sign = $minor < 0 ? '-' : '';
		$digits = str_pad((string)abs($minor), $decimals + 1, '0', STR_PAD_LEFT);
		if ($decimals === 0) return $sign . $digits;
		return $sign . substr($digits, 0, -$decimals) . '.' . substr($digits, -$decimals);
	}
}
