<?php
declare(strict_types=1);

namespace Lojal\OpenCart;

/**
 * Plural forms of whole numbers (CLDR's rules for integers) for the extension's four languages, so a text with a
 * number reads right: "1 point", "2 punkty", "5 punktów", "21 балл", "20 de puncte". A language file holds one
 * key per form it needs: `<key>_one`, `_few`, `_many`, `_other` (English: one and other).
 */
final class Plural {
	/** The form of `$n` in a language given by its OpenCart code ("pl-pl") or its first part ("pl"). */
	public static function category(int $n, string $language): string {
		$n = abs($n);
		$ten = $n % 10;
		$hundred = $n % 100;
		$fewEnding = $ten >= 2 && $ten <= 4 && ($hundred < 12 || $hundred > 14);
		switch (strtolower(substr($language, 0, 2))) {
			case 'ru':
				if ($ten === 1 && $hundred !== 11) return 'one';
				return $fewEnding ? 'few' : 'many';
			case 'pl':
				if ($n === 1) return 'one';
				return $fewEnding ? 'few' : 'many';
			case 'ro':
				if ($n === 1) return 'one';
				return $n === 0 || ($hundred >= 1 && $hundred <= 19) ? 'few' : 'other';
			default:
				return $n === 1 ? 'one' : 'other';
		}
	}

	/**
	 * The language file's text for `$n`: `<key>_<form>`, else `<key>_other`, else `<key>`, filled with sprintf.
	 * @param callable(string):string $text the language getter (OpenCart answers the key itself when unknown)
	 */
	public static function text(callable $text, string $key, int $n, string $language, mixed ...$values): string {
		foreach ([$key . '_' . self::category($n, $language), $key . '_other', $key] as $candidate) {
			$format = (string)$text($candidate);
			if ($format !== $candidate) return sprintf($format, ...$values);
		}
		return $key;
	}
}
