<?php
declare(strict_types=1);

use Lojal\OpenCart\Plural;
use PHPUnit\Framework\TestCase;

final class PluralTest extends TestCase {
	public static function forms(): array {
		return [
			'en' => ['en-gb', [0 => 'other', 1 => 'one', 2 => 'other', 5 => 'other', 21 => 'other', 101 => 'other']],
			'pl' => ['pl-pl', [0 => 'many', 1 => 'one', 2 => 'few', 4 => 'few', 5 => 'many', 12 => 'many', 14 => 'many', 21 => 'many', 22 => 'few', 101 => 'many', 104 => 'few', 112 => 'many']],
			'ru' => ['ru-ru', [0 => 'many', 1 => 'one', 2 => 'few', 5 => 'many', 11 => 'many', 12 => 'many', 21 => 'one', 22 => 'few', 111 => 'many', 101 => 'one', 1001 => 'one']],
			'ro' => ['ro-ro', [0 => 'few', 1 => 'one', 2 => 'few', 19 => 'few', 20 => 'other', 21 => 'other', 101 => 'few', 119 => 'few', 120 => 'other']],
		];
	}

	/** @dataProvider forms */
	public function testEachNumberHasItsLanguagesForm(string $language, array $expected): void {
		foreach ($expected as $n => $form) $this->assertSame($form, Plural::category($n, $language), $language . ' ' . $n);
		$this->assertSame(Plural::category(21, $language), Plural::category(-21, $language));
	}

	public function testTheTextOfTheFormFilledElseTheOtherForm(): void {
		$texts = ['k_one' => '%s punkt', 'k_few' => '%s punkty', 'k_many' => '%s punktów', 'e_other' => '%s points'];
		$text = static fn(string $key): string => $texts[$key] ?? $key;
		$this->assertSame(['1 punkt', '3 punkty', '25 punktów'], [Plural::text($text, 'k', 1, 'pl', 1), Plural::text($text, 'k', 3, 'pl', 3), Plural::text($text, 'k', 25, 'pl', 25)]);
		$this->assertSame('1 points', Plural::text($text, 'e', 1, 'en', 1));
		$this->assertSame('nothing', Plural::text($text, 'nothing', 1, 'en'));
	}
}
