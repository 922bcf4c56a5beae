<?php
declare(strict_types=1);

namespace Lojal\WooCommerce\Core;

/**
 * WooCommerce amounts (decimal strings such as "12.50", sometimes floats or unrounded line totals such as
 * "41.666667") as integers in minor units, without float drift: the decimal digits are shifted as text and
 * rounded half away from zero at the currency's decimals, as WooCommerce rounds.
 */
final class Money {
	public static function minor(string|int|float|null $value, int $decimals): int {
		if ($decimals < 0 || $decimals > 8) throw new \InvalidArgumentException('Unsupported number of decimals: ' . $decimals);
		if ($value === null || $value === '') return 0;
		if (is_int($value)) return $value * 10 ** $decimals;
		$text = is_float($value) ? self::floatText($value, $decimals) : trim($value);
		if (!preg_match('/^([+-]?)(\d*)(?:\.(\d*))?$/', $text, $m) || ($m[2] === '' && ($m[3] ?? '') === '')) {
			if (!is_numeric($text)) throw new \InvalidArgumentException('Not an amount: ' . $value);
			return self::minor(self::floatText((float)$text, $decimals), $decimals);
		}
		$fraction = str_pad($m[3] ?? '', $decimals + 1, '0');
		$digits = ltrim($m[2] . substr($fraction, 0, $decimals), '0');
		$minor = (int)($digits === '' ? '0' : $digits);
		if ((int)$fraction[$decimals] >= 5) $minor++;
		return $m[1] === '-' ? -$minor : $minor;
	}

	/** A float as plain decimal text, a few digits past what is kept (so 1.005 reads "1.00500000", not 1.00499…). */
	private static function floatText(float $value, int $decimals): string {
		if (!is_finite($value)) throw new \InvalidArgumentException('Not an amount: ' . $value);
		return number_format($value, $decimals + 6, '.', '');
	}
}
