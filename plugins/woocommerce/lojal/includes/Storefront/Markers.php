<?php
declare(strict_types=1);

namespace Lojal\WooCommerce\Storefront;

/**
 * Placeholders for "earn N points" left in a page while it renders (an HTML comment per product: "l" in a list,
 * "p" the product of a product page), filled once the page is done, from one batched quote.
 */
final class Markers {
	public const LIST = 'l';
	public const PRODUCT = 'p';
	private const PATTERN = '/<!--lojal-earn:([lp]):(\d+)-->/';

	public static function marker(string $kind, int $productId): string {
		return '<!--lojal-earn:' . ($kind === self::PRODUCT ? self::PRODUCT : self::LIST) . ':' . $productId . '-->';
	}

	/** @return array{l: list<int>, p: list<int>} the product ids marked in a page, by kind, once each */
	public static function find(string $html): array {
		$found = [self::LIST => [], self::PRODUCT => []];
		if (!str_contains($html, '<!--lojal-earn:')) return $found;
		preg_match_all(self::PATTERN, $html, $m, PREG_SET_ORDER);
		foreach ($m as [, $kind, $id]) $found[$kind][] = (int)$id;
		return [self::LIST => array_values(array_unique($found[self::LIST])), self::PRODUCT => array_values(array_unique($found[self::PRODUCT]))];
	}

	/** @param callable(string $kind, int $productId): string $render the snippet (empty: leave it out) */
	public static function fill(string $html, callable $render): string {
		if (!str_contains($html, '<!--lojal-earn:')) return $html;
		return (string)preg_replace_callback(self::PATTERN, static fn(array $m): string => $render($m[1], (int)$m[2]), $html);
	}

	/** Every marker removed (on any failure, so a page never shows a placeholder). */
	public static function strip(string $html): string {
		return self::fill($html, static fn(): string => '');
	}
}
