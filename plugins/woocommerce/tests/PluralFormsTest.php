<?php
declare(strict_types=1);

use PHPUnit\Framework\TestCase;

/**
 * The storefront's counted phrases as WordPress picks them: each language's Plural-Forms formula (from its .po
 * header, evaluated here as gettext does) chooses the form, so "20 de puncte" in Romanian and three forms in Polish
 * and Russian come out right for the counts a customer sees.
 */
final class PluralFormsTest extends TestCase {
	/** @return array{plural: string, entries: array<string, list<string>>} */
	private static function po(string $locale): array {
		$text = (string)file_get_contents(__DIR__ . '/../lojal/languages/lojal-' . $locale . '.po');
		preg_match('/Plural-Forms: nplurals=\d+; plural=(.*?);\\\\n/', $text, $m);
		$entries = [];
		foreach (explode("\n\n", $text) as $block) {
			if (!preg_match('/^msgid "(.*)"$/m', $block, $id) || !str_contains($block, 'msgid_plural')) continue;
			preg_match_all('/^msgstr\[\d\] "(.*)"$/m', $block, $forms);
			$entries[stripcslashes($id[1])] = array_map('stripcslashes', $forms[1]);
		}
		return ['plural' => $m[1], 'entries' => $entries];
	}

	/** A C plural expression (gettext's) for a count: ternaries split at the top level, the rest evaluated by PHP. */
	private static function evaluate(string $expr, int $n): int {
		$expr = trim($expr);
		while (str_starts_with($expr, '(') && self::closing($expr, 0) === strlen($expr) - 1) $expr = trim(substr($expr, 1, -1));
		$depth = 0;
		$question = null;
		$nested = 0;
		for ($i = 0; $i < strlen($expr); $i++) {
			$c = $expr[$i];
			if ($c === '(') $depth++;
			elseif ($c === ')') $depth--;
			elseif ($depth === 0 && $c === '?') { if ($question === null) $question = $i; else $nested++; }
			elseif ($depth === 0 && $c === ':' && $question !== null) {
				if ($nested > 0) { $nested--; continue; }
				return self::evaluate(substr($expr, 0, $question), $n) ? self::evaluate(substr($expr, $question + 1, $i - $question - 1), $n) : self::evaluate(substr($expr, $i + 1), $n);
			}
		}
		if (!preg_match('/^[n0-9%=!<>&|() ]+$/', $expr)) throw new \RuntimeException('Unexpected plural expression: ' . $expr);
		return (int)eval('return (int)(' . str_replace('n', '$n', $expr) . ');');
	}

	private static function closing(string $s, int $open): int {
		$depth = 0;
		for ($i = $open; $i < strlen($s); $i++) {
			if ($s[$i] === '(') $depth++;
			elseif ($s[$i] === ')' && --$depth === 0) return $i;
		}
		return -1;
	}

	private static function say(string $locale, string $msgid, int $n): string {
		$po = self::po($locale);
		return sprintf($po['entries'][$msgid][self::evaluate($po['plural'], $n)], (string)$n);
	}

	public function testPolishHasOneFewAndMany(): void {
		$this->assertSame('Zdobądź 1 punkt lojalnościowy', self::say('pl_PL', 'Earn %s loyalty point', 1));
		foreach ([2, 4, 22, 104] as $n) $this->assertSame("Zdobądź $n punkty lojalnościowe", self::say('pl_PL', 'Earn %s loyalty point', $n));
		foreach ([0, 5, 12, 14, 25, 112] as $n) $this->assertSame("Zdobądź $n punktów lojalnościowych", self::say('pl_PL', 'Earn %s loyalty point', $n));
	}

	public function testRussianHasOneFewAndMany(): void {
		foreach ([1, 21, 101] as $n) $this->assertSame("За этот заказ вы получите $n бонусный балл", self::say('ru_RU', 'This order earns %s loyalty point', $n));
		foreach ([2, 3, 24] as $n) $this->assertSame("За этот заказ вы получите $n бонусных балла", self::say('ru_RU', 'This order earns %s loyalty point', $n));
		foreach ([5, 11, 12, 111] as $n) $this->assertSame("За этот заказ вы получите $n бонусных баллов", self::say('ru_RU', 'This order earns %s loyalty point', $n));
	}

	public function testRomanianSaysDeFromTwenty(): void {
		$this->assertSame('Câștigi 1 punct de fidelitate', self::say('ro_RO', 'Earn %s loyalty point', 1));
		foreach ([2, 19, 101, 119] as $n) $this->assertSame("Câștigi $n puncte de fidelitate", self::say('ro_RO', 'Earn %s loyalty point', $n));
		foreach ([20, 25, 100, 120] as $n) $this->assertSame("Câștigi $n de puncte de fidelitate", self::say('ro_RO', 'Earn %s loyalty point', $n));
	}

	public function testEveryStorefrontCountedPhraseHasAllItsFormsInEachLanguage(): void {
		$phrases = ['Earn %s loyalty point', 'Earn from %s loyalty point', 'This order earns %s loyalty point', '%1$s point to %2$s', '%1$s point expires on %2$s',
			'%s point is set aside for an order in progress.', 'This order earned %s loyalty point.', '%s point was spent on this order.'];
		foreach (['pl_PL', 'ro_RO', 'ru_RU'] as $locale) {
			$po = self::po($locale);
			foreach ($phrases as $msgid) {
				$this->assertCount(3, $po['entries'][$msgid] ?? [], "$locale $msgid");
				// "od 2 / 5 punktów", "от 2 / 5 баллов": after "from" the few and many forms coincide.
				if ($msgid !== 'Earn from %s loyalty point') $this->assertCount(3, array_unique($po['entries'][$msgid]), "$locale $msgid: three different forms");
			}
		}
	}
}
