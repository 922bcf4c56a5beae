<?php
declare(strict_types=1);

namespace Lojal\WooCommerce\Storefront;

use Lojal\WooCommerce\Numbers;

/**
 * The customer's activity in words, as the OpenCart extension says it (activity_words.php): each ledger entry
 * kind (docs/ledger.md) as a phrase, naming the order where the entry has one.
 */
final class ActivityWords {
	public const KINDS = ['earn', 'mature', 'void', 'hold', 'release', 'commit', 'reverse', 'restore', 'expire', 'adjust', 'bonus', 'import', 'writeoff'];
	private const WITH_ORDER = ['earn', 'mature', 'void', 'reverse', 'commit', 'restore'];
	private const BONUSES = ['signup', 'birthday', 'review', 'referral', 'feedback'];

	/** @param array $entry an activity entry (kind, points, orderId?, reason?, metadata?) */
	public static function phrase(array $entry): string {
		$kind = (string)($entry['kind'] ?? '');
		if (!in_array($kind, self::KINDS, true)) return __('Points changed', 'lojal');
		if ($kind === 'bonus') {
			$bonus = (string)($entry['metadata']['bonusKind'] ?? $entry['bonusKind'] ?? '');
			return in_array($bonus, self::BONUSES, true) ? self::bonus($bonus) : __('Bonus points', 'lojal');
		}
		$order = isset($entry['orderId']) && $entry['orderId'] !== null ? (string)$entry['orderId'] : '';
		if ($order !== '' && in_array($kind, self::WITH_ORDER, true)) return sprintf(self::withOrder($kind), $order);
		$phrase = self::plain($kind);
		if ($kind === 'adjust' && !empty($entry['reason'])) $phrase .= ': ' . (string)$entry['reason'];
		return $phrase;
	}

	/**
	 * Signed points as the customer reads them: "+120", "−40" (0 for entries that move nothing). Points set aside
	 * for a checkout are still the customer's until the order spends them, so a hold and its release show the
	 * number in parentheses, neither added nor taken: "(300)"; the order's "spent" entry then shows "−300".
	 */
	public static function points(array $entry): string {
		$p = (int)($entry['points'] ?? 0);
		if (in_array($entry['kind'] ?? '', ['hold', 'release'], true)) return '(' . Numbers::plain(abs($p)) . ')';
		return $p > 0 ? '+' . Numbers::plain($p) : ($p < 0 ? '−' . Numbers::plain(abs($p)) : '0');
	}

	private static function withOrder(string $kind): string {
		return match ($kind) {
			/* translators: %s: an order number */
			'earn' => __('Points for order #%s (pending)', 'lojal'),
			/* translators: %s: an order number */
			'mature' => __('Points for order #%s are ready to spend', 'lojal'),
			/* translators: %s: an order number */
			'void' => __('Points withdrawn: order #%s was cancelled', 'lojal'),
			/* translators: %s: an order number */
			'reverse' => __('Points taken back: return or refund of order #%s', 'lojal'),
			/* translators: %s: an order number */
			'commit' => __('Points spent on order #%s', 'lojal'),
			/* translators: %s: an order number */
			default => __('Points given back: refund of order #%s', 'lojal'),
		};
	}

	private static function plain(string $kind): string {
		return match ($kind) {
			'earn' => __('Points for an order', 'lojal'),
			'mature' => __('Pending points are ready to spend', 'lojal'),
			'void' => __('Points withdrawn: an order was cancelled', 'lojal'),
			'reverse' => __('Points taken back after a return or refund', 'lojal'),
			'commit' => __('Points spent on an order', 'lojal'),
			'restore' => __('Points given back after a refund', 'lojal'),
			'hold' => __('Points set aside for checkout', 'lojal'),
			'release' => __('Points set aside for checkout are back', 'lojal'),
			'expire' => __('Points expired', 'lojal'),
			'adjust' => __('Correction by the shop', 'lojal'),
			'import' => __('Points carried over from the old program', 'lojal'),
			default => __('Points forgiven', 'lojal'),
		};
	}

	private static function bonus(string $bonus): string {
		return match ($bonus) {
			'signup' => __('Welcome bonus', 'lojal'),
			'birthday' => __('Birthday bonus', 'lojal'),
			'review' => __('Bonus for a review', 'lojal'),
			'referral' => __('Bonus for a referral', 'lojal'),
			default => __('Bonus for your feedback', 'lojal'),
		};
	}
}
