<?php
declare(strict_types=1);

namespace Lojal\WooCommerce\AdminPanel;

/**
 * A member's activity entries (GET /v1/members/{id}/activity, kinds in docs/ledger.md) in the shop owner's words,
 * as the OpenCart extension words them: "Earned on order #4 (pending)", "Adjustment: <reason>".
 */
final class ActivityWords {
	/** Kinds whose entry names the order it came from. */
	private const ORDER_KINDS = ['earn', 'mature', 'void', 'reverse', 'commit', 'restore'];

	public static function phrase(array $entry): string {
		$kind = (string)($entry['kind'] ?? '');
		$order = isset($entry['orderId']) && $entry['orderId'] !== null && $entry['orderId'] !== '' ? (string)$entry['orderId'] : '';
		if ($order !== '' && in_array($kind, self::ORDER_KINDS, true)) return sprintf(self::withOrder($kind), $order);
		$phrase = match ($kind) {
			'earn' => __('Earned on an order (pending)', 'lojal'),
			'mature' => __('Pending points became available', 'lojal'),
			'void' => __('Order cancelled: pending points voided', 'lojal'),
			'reverse' => __('Refund or return: points taken back', 'lojal'),
			'commit' => __('Spent on an order', 'lojal'),
			'restore' => __('Refund: spent points restored', 'lojal'),
			'hold' => __('Held for a checkout', 'lojal'),
			'release' => __('Checkout hold released', 'lojal'),
			'expire' => __('Expired', 'lojal'),
			'adjust' => __('Adjustment', 'lojal'),
			'bonus' => self::bonus((string)($entry['bonusKind'] ?? $entry['metadata']['bonusKind'] ?? '')),
			'import' => __('Opening balance imported', 'lojal'),
			'writeoff' => __('Written off (debt forgiven)', 'lojal'),
			default => __('Other change', 'lojal'),
		};
		if ($kind === 'adjust' && is_string($entry['reason'] ?? null) && $entry['reason'] !== '') $phrase .= ': ' . $entry['reason'];
		return $phrase;
	}

	/**
	 * Signed points: "+120", "−40" (0 for an entry that moves nothing). Points held for a checkout are still the
	 * customer's until the order spends them, so a hold and its release show the number in parentheses: "(300)".
	 */
	public static function points(array $entry): string {
		$points = (int)($entry['points'] ?? 0);
		if (in_array($entry['kind'] ?? '', ['hold', 'release'], true)) return '(' . Words::number(abs($points)) . ')';
		return $points === 0 ? '0' : Words::signed($points);
	}

	private static function withOrder(string $kind): string {
		return match ($kind) {
			/* translators: %s: order number */
			'earn' => __('Earned on order #%s (pending)', 'lojal'),
			/* translators: %s: order number */
			'mature' => __('Order #%s: pending points became available', 'lojal'),
			/* translators: %s: order number */
			'void' => __('Order #%s cancelled: pending points voided', 'lojal'),
			/* translators: %s: order number */
			'reverse' => __('Order #%s refunded or returned: points taken back', 'lojal'),
			/* translators: %s: order number */
			'commit' => __('Spent on order #%s', 'lojal'),
			/* translators: %s: order number */
			default => __('Order #%s refunded: spent points restored', 'lojal'),
		};
	}

	private static function bonus(string $kind): string {
		return match ($kind) {
			'signup' => __('Sign-up bonus', 'lojal'),
			'birthday' => __('Birthday bonus', 'lojal'),
			'review' => __('Review bonus', 'lojal'),
			'referral' => __('Referral bonus', 'lojal'),
			'feedback' => __('Feedback bonus', 'lojal'),
			default => __('Bonus', 'lojal'),
		};
	}
}
