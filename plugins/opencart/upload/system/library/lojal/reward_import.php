<?php
declare(strict_types=1);

namespace Lojal\OpenCart;

/**
 * "Import existing reward points": OpenCart's `customer_reward` balances as the NDJSON lines of POST /v1/imports
 * (API.md), one per customer, with a reference fixed per customer so importing again is a duplicate, never a
 * second credit.
 */
final class RewardImport {
	public const BATCH = 100;

	public static function reference(string $customerId): string {
		return 'opencart-reward:' . $customerId;
	}

	/** @param list<array{customer_id:int|string, email:string, points:int|string}> $rows */
	public static function ndjson(array $rows): string {
		$lines = [];
		foreach ($rows as $row) {
			$points = (int)$row['points'];
			if ($points <= 0) continue;
			$id = (string)$row['customer_id'];
			// An account without a usable address is imported without one (the service refuses a bad address, and the line with it).
			$email = trim((string)($row['email'] ?? ''));
			$email = filter_var($email, FILTER_VALIDATE_EMAIL) !== false ? $email : null;
			$lines[] = Json::encode(['customerId' => $id, 'email' => $email, 'points' => $points, 'reference' => self::reference($id)]);
		}
		return $lines ? implode("\n", $lines) . "\n" : '';
	}

	/** Where the next batch starts and how far along the whole import is, in percent. */
	public static function progress(int $offset, int $batchSize, int $total): array {
		$done = min($total, $offset + $batchSize);
		return ['done' => $done, 'total' => $total, 'percent' => $total === 0 ? 100 : intdiv($done * 100, $total), 'next' => $done < $total ? $done : null];
	}
}
