<?php
declare(strict_types=1);

namespace Lojal\WooCommerce\Core;

/**
 * "Import existing points": balances kept by another points plugin as the NDJSON lines of POST /v1/imports
 * (API.md), one per customer and source, with a reference fixed per (source, customer) so importing again is a
 * duplicate, never a second credit.
 */
final class PointsImport {
	public const BATCH = 100;
	/** Sources: WooCommerce Points and Rewards (its user points table) and YITH Points and Rewards (its user meta). */
	public const SOURCES = ['wc_points_rewards', 'yith_points'];

	public static function reference(string $source, string $customerId): string {
		return 'woocommerce-' . str_replace('_', '-', $source) . ':' . $customerId;
	}

	/** @param list<array{user_id:int|string, email:?string, points:int|string}> $rows */
	public static function ndjson(string $source, array $rows): string {
		$lines = [];
		foreach ($rows as $row) {
			$points = (int)$row['points'];
			if ($points <= 0) continue;
			$id = (string)$row['user_id'];
			$lines[] = Json::encode(['customerId' => $id, 'email' => OrderPayload::email((string)($row['email'] ?? '')), 'points' => $points, 'reference' => self::reference($source, $id)]);
		}
		return $lines ? implode("\n", $lines) . "\n" : '';
	}

	/** How far along a source's import is after the batch at `$offset`, and where the next batch starts (null: done). */
	public static function progress(int $offset, int $batchSize, int $total): array {
		$done = min($total, $offset + $batchSize);
		return ['done' => $done, 'total' => $total, 'percent' => $total === 0 ? 100 : intdiv($done * 100, $total), 'next' => $done < $total ? $done : null];
	}

	/**
	 * One batch: its lines sent to POST /v1/imports.
	 * @return array{ok:bool, applied:int, duplicates:int, errors:list<array>, error:string}
	 */
	public static function send(HttpClient $client, string $ndjson): array {
		if ($ndjson === '') return ['ok' => true, 'applied' => 0, 'duplicates' => 0, 'errors' => [], 'error' => ''];
		$r = $client->request('POST', '/v1/imports', $ndjson, ['Content-Type' => 'application/x-ndjson'], 20.0);
		$answer = json_decode($r['body'], true);
		if ($r['status'] < 200 || $r['status'] >= 300) {
			$error = $r['status'] === 0 ? ($r['error'] ?: 'no answer') : HttpClient::describe($r['status'], $answer);
			return ['ok' => false, 'applied' => 0, 'duplicates' => 0, 'errors' => [], 'error' => $error];
		}
		return ['ok' => true, 'applied' => (int)($answer['applied'] ?? 0), 'duplicates' => (int)($answer['duplicates'] ?? 0), 'errors' => (array)($answer['errors'] ?? []), 'error' => ''];
	}
}
