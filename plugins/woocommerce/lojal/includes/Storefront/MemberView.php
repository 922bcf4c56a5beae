<?php
declare(strict_types=1);

namespace Lojal\WooCommerce\Storefront;

use Lojal\WooCommerce\Core\HttpClient;

/**
 * What My Account → Points shows: the member (`GET /v1/members/{id}`) and its last ACTIVITY_LIMIT activity
 * entries, both within TIMEOUT_MS in all. States: member, unknown (the service has no such member: no points
 * yet), unavailable (no answer in time, or an error).
 */
final class MemberView {
	public const TIMEOUT_MS = 1500;
	public const ACTIVITY_LIMIT = 20;

	/** @return array the view (build()) */
	public static function load(?HttpClient $client, string $customerId, ?PageBudget $budget = null): array {
		if ($client === null) return self::build(['status' => 0, 'json' => null, 'error' => 'not configured'], null);
		$budget ??= new PageBudget(self::TIMEOUT_MS);
		$path = '/v1/members/' . rawurlencode($customerId);
		$none = ['status' => 0, 'json' => null, 'error' => 'timeout'];
		$member = $budget->run(static fn(float $s): array => $client->json('GET', $path, null, $s), self::TIMEOUT_MS) ?? $none;
		if ($member['status'] !== 200) return self::build($member, null);
		$activity = $budget->run(static fn(float $s): array => $client->json('GET', $path . '/activity?limit=' . self::ACTIVITY_LIMIT, null, $s), self::TIMEOUT_MS) ?? $none;
		return self::build($member, $activity);
	}

	/**
	 * @param array{status:int, json:mixed, error:string} $member the member answer (HttpClient::json)
	 * @param ?array{status:int, json:mixed, error:string} $activity the activity answer, null when not asked
	 * @return array{state:string, available:int, pending:int, held:int, tier:string, next:?array{name:string, remaining:int},
	 *   expiring:list<array{points:int, at:string}>, activity:list<array{at:string, text:string, points:string, debit:bool}>, activityError:bool}
	 */
	public static function build(array $member, ?array $activity): array {
		$view = ['state' => 'member', 'available' => 0, 'pending' => 0, 'held' => 0, 'tier' => '', 'next' => null, 'expiring' => [], 'activity' => [], 'activityError' => false];
		$m = $member['json'];
		// Only the service's own problem says "no such member"; a bare 404 is something else answering at that URL.
		if ($member['status'] === 404 && is_array($m) && ($m['code'] ?? '') === 'not_found') return ['state' => 'unknown'] + $view;
		if ($member['error'] !== '' || !is_array($m) || !is_array($m['balance'] ?? null)) return ['state' => 'unavailable'] + $view;
		foreach (['available', 'pending', 'held'] as $bucket) $view[$bucket] = (int)($m['balance'][$bucket] ?? 0);
		$tier = $m['tier'] ?? null;
		$view['tier'] = is_array($tier) ? (string)($tier['name'] ?? '') : '';
		$next = is_array($tier) ? ($tier['next'] ?? null) : null;
		if (is_array($next)) $view['next'] = ['name' => (string)($next['name'] ?? ''), 'remaining' => max(0, (int)($next['remaining'] ?? 0))];
		foreach ((array)($m['expiring'] ?? []) as $e) {
			if (is_array($e) && (int)($e['points'] ?? 0) > 0) $view['expiring'][] = ['points' => (int)$e['points'], 'at' => (string)($e['at'] ?? '')];
		}
		if ($activity === null || $activity['error'] !== '' || !is_array($activity['json']['data'] ?? null)) return ['activityError' => true] + $view;
		foreach (array_slice($activity['json']['data'], 0, self::ACTIVITY_LIMIT) as $entry) {
			if (!is_array($entry)) continue;
			$view['activity'][] = ['at' => (string)($entry['createdAt'] ?? ''), 'text' => ActivityWords::phrase($entry),
				'points' => ActivityWords::points($entry), 'debit' => (int)($entry['points'] ?? 0) < 0 && !in_array($entry['kind'] ?? '', ['hold', 'release'], true)];
		}
		return $view;
	}
}
