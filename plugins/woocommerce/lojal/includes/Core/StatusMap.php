<?php
declare(strict_types=1);

namespace Lojal\WooCommerce\Core;

/**
 * Which Lojal order event a WooCommerce order status sends. Statuses are WooCommerce's, without the "wc-" prefix.
 * A status mapped to nothing sends nothing. An order waiting for payment (pending, on-hold) is "placed": the
 * service learns of it (and commits the points it spends) before it is paid.
 */
final class StatusMap {
	public const OPTION = 'lojal_status_map';
	public const KINDS = ['placed', 'paid', 'completed', 'cancelled', 'refunded'];

	/** @return array<string,string> */
	public static function defaults(): array {
		return [
			'pending' => 'placed',
			'on-hold' => 'placed',
			'processing' => 'paid',
			'completed' => 'completed',
			'cancelled' => 'cancelled',
			'failed' => 'cancelled',
			'refunded' => 'refunded',
		];
	}

	/**
	 * The event kind for a status, or null. `$saved` is the saved mapping (null before the settings were first
	 * saved); a status it does not name (one a plugin added later) falls back to the defaults.
	 * @param ?array<string,string> $saved
	 */
	public static function kindFor(string $status, ?array $saved): ?string {
		$status = self::bare($status);
		$map = ($saved ?? []) + self::defaults();
		$kind = (string)($map[$status] ?? '');
		return in_array($kind, self::KINDS, true) ? $kind : null;
	}

	/** Keeps known statuses and kinds only; anything else means "nothing". */
	public static function sanitize(array $input, array $statuses): array {
		$out = [];
		foreach (array_keys($statuses) as $status) {
			$bare = self::bare((string)$status);
			$kind = (string)($input[$bare] ?? '');
			$out[$bare] = in_array($kind, self::KINDS, true) ? $kind : '';
		}
		return $out;
	}

	public static function bare(string $status): string {
		return str_starts_with($status, 'wc-') ? substr($status, 3) : $status;
	}
}
