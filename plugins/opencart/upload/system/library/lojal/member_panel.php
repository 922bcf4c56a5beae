<?php
declare(strict_types=1);

namespace Lojal\OpenCart;

/**
 * The admin customer page's loyalty panel: what the service answered for a member (GET /v1/members/{id}) and its
 * activity (GET …/activity) as what the panel shows, in the admin's language; and where the panel goes in the page.
 */
final class MemberPanel {
	public const ACTIVITY_LIMIT = 20;

	/**
	 * @param array{status:int, json:mixed, error:string} $member the member answer (HttpClient::json)
	 * @param ?array{status:int, json:mixed, error:string} $activity the activity answer, null when not asked
	 * @param callable(string):string $text the admin language getter
	 * @param string $language the admin language code ("en-gb"), for plural forms
	 * @param callable(string):string $date an RFC 3339 time as the admin reads it
	 * @return array{state:string, message:string, figures:array<string,string>, tier:string, next:string,
	 *   expiring:list<string>, activity:list<array{date:string, text:string, points:string, debit:bool}>, activity_error:string}
	 */
	public static function build(array $member, ?array $activity, callable $text, string $language, callable $date): array {
		$panel = ['state' => 'member', 'message' => '', 'figures' => [], 'tier' => '', 'next' => '', 'expiring' => [], 'activity' => [], 'activity_error' => ''];
		$m = $member['json'];
		// Only the service's own problem says "no such member"; a bare 404 is something else answering at that URL.
		if ($member['status'] === 404 && is_array($m) && ($m['code'] ?? '') === 'not_found') return ['state' => 'unknown', 'message' => $text('text_unknown')] + $panel;
		if ($member['error'] !== '' || !is_array($m) || !isset($m['balance'], $m['lifetime'])) {
			$cause = $member['error'] !== '' ? $member['error'] : 'HTTP ' . $member['status'];
			return ['state' => 'unavailable', 'message' => sprintf($text('error_unavailable'), $cause)] + $panel;
		}
		$thousands = (string)$text('thousand_point');
		$number = static fn(mixed $n): string => ((int)$n < 0 ? '−' : '') . number_format(abs((int)$n), 0, '', $thousands === 'thousand_point' ? ',' : $thousands);
		foreach (['available', 'pending', 'held'] as $bucket) $panel['figures'][$bucket] = $number($m['balance'][$bucket] ?? 0);
		foreach (['earned', 'redeemed', 'expired'] as $sum) $panel['figures'][$sum] = $number($m['lifetime'][$sum] ?? 0);
		$tier = $m['tier'] ?? null;
		$panel['tier'] = is_array($tier) ? (string)($tier['name'] ?? '') : '';
		$next = is_array($tier) ? ($tier['next'] ?? null) : null;
		if (is_array($next)) {
			$remaining = (int)($next['remaining'] ?? 0);
			$panel['next'] = sprintf(Plural::choose((string)$text('text_next_tier'), $remaining, $language), $number($remaining), (string)($next['name'] ?? ''));
		}
		foreach ((array)($m['expiring'] ?? []) as $e) {
			$points = (int)($e['points'] ?? 0);
			$panel['expiring'][] = sprintf(Plural::choose((string)$text('text_expiring'), $points, $language), $number($points), $date((string)($e['at'] ?? '')));
		}
		if ($activity === null || $activity['error'] !== '' || !is_array($activity['json']['data'] ?? null)) {
			$panel['activity_error'] = $text('error_activity');
			return $panel;
		}
		foreach (array_slice($activity['json']['data'], 0, self::ACTIVITY_LIMIT) as $entry) {
			if (!is_array($entry)) continue;
			$words = ActivityWords::phrase($entry, $text);
			if (is_string($entry['by'] ?? null) && $entry['by'] !== '') $words .= ' ' . sprintf((string)$text('text_by'), $entry['by']);
			$panel['activity'][] = ['date' => $date((string)($entry['createdAt'] ?? '')), 'text' => $words,
				'points' => ActivityWords::points($entry), 'debit' => (int)($entry['points'] ?? 0) < 0];
		}
		return $panel;
	}

	/**
	 * The customer form's HTML with `$block` put at the end of its page content (after the form's card, before the
	 * page's scripts): before the last `</div>` ahead of the first `<script` after the form's tabs. The page is left
	 * as it is when it does not have that shape.
	 */
	public static function inject(string $html, string $block): string {
		$tabs = strpos($html, 'id="tab-general"');
		$script = $tabs === false ? false : strpos($html, '<script', $tabs);
		if ($script === false) return $html;
		$at = strrpos(substr($html, 0, $script), '</div>');
		return $at === false || $at < $tabs ? $html : substr_replace($html, $block, $at, 0);
	}
}
