<?php
declare(strict_types=1);

namespace Lojal\WooCommerce\AdminPanel;

/**
 * What the wp-admin points panel shows, from the service's answers for a member (GET /v1/members/{id}) and its
 * activity (GET …/activity): figures, tier and the way to the next one, points expiring soon, the last entries in
 * words; or why not (unknown customer, service unreachable).
 */
final class PanelModel {
	public const ACTIVITY_LIMIT = 20;

	/**
	 * @param array{status:int, json:mixed, error:string} $member the member answer (HttpClient::json)
	 * @param ?array{status:int, json:mixed, error:string} $activity the activity answer, null when not asked
	 * @param callable(string):string $date an RFC 3339 time as the admin reads it
	 * @return array{state:string, message:string, figures:array<string,string>, debt:bool, tier:string, next:string,
	 *   expiring:list<string>, activity:list<array{date:string, text:string, points:string, debit:bool}>, activityError:string, cause?:string}
	 *   cause: why the service could not be read (state "unavailable"), for the log
	 */
	public static function build(array $member, ?array $activity, callable $date): array {
		$panel = ['state' => 'member', 'message' => '', 'figures' => [], 'debt' => false, 'tier' => '', 'next' => '', 'expiring' => [], 'activity' => [], 'activityError' => ''];
		$m = $member['json'];
		// Only the service's own problem says "no such member"; a bare 404 is something else answering at that URL.
		if ($member['status'] === 404 && is_array($m) && ($m['code'] ?? '') === 'not_found') return ['state' => 'unknown', 'message' => Words::unknown()] + $panel;
		if ($member['error'] !== '' || !is_array($m) || !is_array($m['balance'] ?? null) || !is_array($m['lifetime'] ?? null)) {
			$cause = $member['error'] !== '' ? $member['error'] : 'HTTP ' . $member['status'];
			return ['state' => 'unavailable', 'message' => Words::unavailable($cause), 'cause' => $cause] + $panel;
		}
		foreach (['available', 'pending', 'held'] as $bucket) $panel['figures'][$bucket] = Words::number((int)($m['balance'][$bucket] ?? 0));
		foreach (['earned', 'redeemed', 'expired'] as $sum) $panel['figures'][$sum] = Words::number((int)($m['lifetime'][$sum] ?? 0));
		$panel['debt'] = (int)($m['balance']['available'] ?? 0) < 0;
		$tier = is_array($m['tier'] ?? null) ? $m['tier'] : null;
		$panel['tier'] = (string)($tier['name'] ?? '');
		$next = is_array($tier['next'] ?? null) ? $tier['next'] : null;
		if ($next !== null) $panel['next'] = Words::nextTier((int)($next['remaining'] ?? 0), (string)($next['name'] ?? ''));
		foreach ((array)($m['expiring'] ?? []) as $e) {
			if (is_array($e)) $panel['expiring'][] = Words::expiring((int)($e['points'] ?? 0), $date((string)($e['at'] ?? '')));
		}
		$entries = $activity['json']['data'] ?? null;
		if ($activity === null || $activity['error'] !== '' || !is_array($entries)) {
			$panel['activityError'] = Words::activityError();
			return $panel;
		}
		foreach (array_slice($entries, 0, self::ACTIVITY_LIMIT) as $entry) {
			if (!is_array($entry)) continue;
			$text = ActivityWords::phrase($entry);
			if (is_string($entry['by'] ?? null) && $entry['by'] !== '') $text .= ' ' . Words::by($entry['by']);
			$panel['activity'][] = ['date' => $date((string)($entry['createdAt'] ?? '')), 'text' => $text,
				'points' => ActivityWords::points($entry), 'debit' => (int)($entry['points'] ?? 0) < 0];
		}
		return $panel;
	}

	/**
	 * Asks the service for a member and, when it is one, its last entries: two reads, each under $timeoutSeconds
	 * (the panel loads by AJAX, so the page itself never waits on them).
	 * @return array{0: array{status:int, json:mixed, error:string}, 1: ?array{status:int, json:mixed, error:string}}
	 */
	public static function fetch(\Lojal\WooCommerce\Core\HttpClient $client, string $customerId, float $timeoutSeconds): array {
		$path = '/v1/members/' . rawurlencode($customerId);
		$member = $client->json('GET', $path, null, $timeoutSeconds);
		$activity = $member['status'] === 200 ? $client->json('GET', $path . '/activity?limit=' . self::ACTIVITY_LIMIT, null, $timeoutSeconds) : null;
		return [$member, $activity];
	}
}
