<?php
declare(strict_types=1);

use PHPUnit\Framework\TestCase;

/**
 * The panel's counted phrases in Polish, Romanian and Russian as WordPress gives them: through _n() and each
 * .po's Plural-Forms (admin-panel-in.php runs them in a process of its own, with the real translations).
 */
final class PanelPluralTest extends TestCase {
	private const NBSP = "\u{a0}";

	private static function phrases(string $locale): array {
		$command = escapeshellarg(PHP_BINARY) . ' ' . escapeshellarg(__DIR__ . '/admin-panel-in.php') . ' ' . $locale . ' 1 2 5 12 20 21 22 101 1500 2>&1';
		$json = json_decode((string)shell_exec($command), true);
		self::assertIsArray($json, $locale);
		return $json;
	}

	public function testPolishHasOneFewAndMany(): void {
		$pl = self::phrases('pl_PL');
		$this->assertSame(['1 punkt do poziomu Gold', '2 punkty do poziomu Gold', '5 punktów do poziomu Gold', '12 punktów do poziomu Gold', '21 punktów do poziomu Gold', '22 punkty do poziomu Gold'],
			[$pl[1]['next'], $pl[2]['next'], $pl[5]['next'], $pl[12]['next'], $pl[21]['next'], $pl[22]['next']]);
		$this->assertSame(['1 punkt wygasa 31.01.2027', '2 punkty wygasają 31.01.2027', '5 punktów wygasa 31.01.2027'], [$pl[1]['expiring'], $pl[2]['expiring'], $pl[5]['expiring']]);
		$this->assertSame(['Dodano 1 punkt.', 'Odjęto 22 punkty.', 'Dodano 1' . self::NBSP . '500 punktów.'], [$pl[1]['added'], $pl[22]['taken'], $pl[1500]['added']]);
		$this->assertSame('Korekta: Goodwill (autor: Shop Admin)', $pl['words']['adjust']);
		$this->assertStringContainsString('Niczego nie zmieniono', $pl['words']['insufficient']);
	}

	public function testRomanianSaysDePuncteFromTwenty(): void {
		$ro = self::phrases('ro_RO');
		$this->assertSame(['1 punct până la nivelul Gold', '2 puncte până la nivelul Gold', '12 puncte până la nivelul Gold', '20 de puncte până la nivelul Gold', '101 puncte până la nivelul Gold'],
			[$ro[1]['next'], $ro[2]['next'], $ro[12]['next'], $ro[20]['next'], $ro[101]['next']]);
		$this->assertSame(['A fost adăugat 1 punct.', 'Au fost scăzute 21 de puncte.', '20 de puncte expiră pe 31.01.2027'], [$ro[1]['added'], $ro[21]['taken'], $ro[20]['expiring']]);
		$this->assertSame('Câștigate pentru comanda #55 (în așteptare)', $ro['words']['earn']);
	}

	public function testRussianHasOneFewAndManyByTheLastDigits(): void {
		$ru = self::phrases('ru_RU');
		$this->assertSame(['Ещё 1 балл до уровня Gold', 'Ещё 2 балла до уровня Gold', 'Ещё 5 баллов до уровня Gold', 'Ещё 12 баллов до уровня Gold', 'Ещё 21 балл до уровня Gold', 'Ещё 22 балла до уровня Gold', 'Ещё 101 балл до уровня Gold'],
			[$ru[1]['next'], $ru[2]['next'], $ru[5]['next'], $ru[12]['next'], $ru[21]['next'], $ru[22]['next'], $ru[101]['next']]);
		$this->assertSame(['21 балл сгорит 31.01.2027', '22 балла сгорят 31.01.2027', 'Начислен 21 балл.', 'Списано 5 баллов.'], [$ru[21]['expiring'], $ru[22]['expiring'], $ru[21]['added'], $ru[5]['taken']]);
		$this->assertSame('Корректировка: Goodwill (автор: Shop Admin)', $ru['words']['adjust']);
	}
}
