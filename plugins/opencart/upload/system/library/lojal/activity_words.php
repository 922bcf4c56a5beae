<?php
declare(strict_types=1);

namespace Lojal\OpenCart;

/**
 * The customer's activity in words: each ledger entry kind (docs/ledger.md) as a phrase from the language file
 * (`text_activity_<kind>`, with `%s` for the order number where the entry names one).
 */
final class ActivityWords {
	public const KINDS = ['earn', 'mature', 'void', 'hold', 'release', 'commit', 'reverse', 'restore', 'expire', 'adjust', 'bonus', 'import', 'writeoff'];

	/**
	 * @param array $entry an activity entry (kind, points, orderId?, reason?, metadata?)
	 * @param callable(string):string $text the language getter (OpenCart answers the key itself when unknown)
	 */
	public static function phrase(array $entry, callable $text): string {
		$kind = (string)($entry['kind'] ?? '');
		if (!in_array($kind, self::KINDS, true)) return $text('text_activity_other');
		$key = 'text_activity_' . $kind;
		if ($kind === 'bonus') {
			$bonus = (string)($entry['metadata']['bonusKind'] ?? $entry['bonusKind'] ?? '');
			if (in_array($bonus, ['signup', 'birthday', 'review', 'referral', 'feedback'], true)) $key = 'text_activity_bonus_' . $bonus;
		}
		$order = isset($entry['orderId']) && $entry['orderId'] !== null ? (string)$entry['orderId'] : '';
		if ($order !== '' && in_array($kind, ['earn', 'mature', 'void', 'reverse', 'commit', 'restore'], true)) {
			return sprintf($text($key . '_order'), $order);
		}
		$phrase = $text($key);
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
		if (in_array($entry['kind'] ?? '', ['hold', 'release'], true)) return '(' . abs($p) . ')';
		return $p > 0 ? '+' . $p : ($p < 0 ? '−' . abs($p) : '0');
	}
}
