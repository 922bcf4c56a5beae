<?php
declare(strict_types=1);

namespace Lojal\OpenCart;

/**
 * Counted phrases in the four languages of the extension. A language string holds its plural forms separated by
 * "|", in CLDR order: en "one|other"; pl and ru "one|few|many"; ro "one|few|other" (Romanian says "20 de puncte").
 * A string without "|" is used for every count.
 */
final class Plural {
	/** The index of the form for a whole number $n in a language ("pl-pl", "ru-ru", "ro-ro", "en-gb"...). */
	public static function index(int $n, string $language): int {
		$n = abs($n);
		$mod10 = $n % 10;
		$mod100 = $n % 100;
		$few = $mod10 >= 2 && $mod10 <= 4 && ($mod100 < 12 || $mod100 > 14);
		return match (strtolower(substr($language, 0, 2))) {
			'pl' => $n === 1 ? 0 : ($few ? 1 : 2),
			'ru', 'uk' => $mod10 === 1 && $mod100 !== 11 ? 0 : ($few ? 1 : 2),
			'ro' => $n === 1 ? 0 : ($n === 0 || ($mod100 >= 1 && $mod100 <= 19) ? 1 : 2),
			default => $n === 1 ? 0 : 1,
		};
	}

	/** The form of $forms for $n (the last one when the string has fewer forms than the language). */
	public static function choose(string $forms, int $n, string $language): string {
		$all = explode('|', $forms);
		return $all[min(self::index($n, $language), count($all) - 1)];
	}

	/**
	 * The phrase for $n: its "%s" is the number written with the language's thousands separator, followed by
	 * any further arguments ("Earn %s points", "%s points expire on %s").
	 */
	public static function format(string $forms, int $n, string $language, string $thousands = ',', string ...$args): string {
		return sprintf(self::choose($forms, $n, $language), number_format($n, 0, '', $thousands), ...$args);
	}
}
