<?php
declare(strict_types=1);

use Lojal\OpenCart\Plural;
use PHPUnit\Framework\TestCase;

final class PluralTest extends TestCase {
	private const LANGUAGES = ['en-gb' => 2, 'pl-pl' => 3, 'ro-ro' => 3, 'ru-ru' => 3];
	/** Language files and keys whose phrases are counted. */
	private const COUNTED = [
		'catalog/language/%s/event/earn.php' => ['lojal_text_earn', 'lojal_text_earn_cart'],
		'catalog/language/%s/account/points.php' => ['text_next_tier', 'text_held', 'text_expiring'],
		'catalog/language/%s/checkout/lojal.php' => ['text_using'],
		'admin/language/%s/customer/points.php' => ['text_next_tier', 'text_expiring'],
		'catalog/language/%s/event/order_points.php' => ['lojal_text_order_estimate', 'lojal_text_order_pending', 'lojal_text_order_available',
			'lojal_text_order_void', 'lojal_text_order_reversed', 'lojal_text_order_redeemed', 'lojal_text_order_restored'],
	];

	public function testEachLanguagePicksItsFormForOneTwoFiveTwentyOneAndAThousand(): void {
		$forms = fn(string $language): array => array_map(static fn(int $n): int => Plural::index($n, $language), [0, 1, 2, 5, 11, 12, 21, 22, 25, 101, 112, 1000]);
		$this->assertSame([1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1], $forms('en-gb'));
		$this->assertSame([2, 0, 1, 2, 2, 2, 2, 1, 2, 2, 2, 2], $forms('pl-pl'));
		$this->assertSame([2, 0, 1, 2, 2, 2, 0, 1, 2, 0, 2, 2], $forms('ru-ru'));
		// Romanian: "1 punct", "2 puncte", "19 puncte", "20 de puncte", "101 puncte", "1000 de puncte".
		$this->assertSame([1, 0, 1, 1, 1, 1, 2, 2, 2, 1, 1, 2], $forms('ro-ro'));
	}

	public function testHundredsAndThousandsFollowTheLastDigits(): void {
		$forms = static fn(string $language, array $ns): array => array_map(static fn(int $n): int => Plural::index($n, $language), $ns);
		$this->assertSame([1, 2, 2], $forms('pl-pl', [104, 111, 1005]));
		$this->assertSame([2, 0, 1, 0], $forms('ru-ru', [111, 1001, 1003, -21]));
		$this->assertSame([1, 2, 1], $forms('ro-ro', [119, 120, 1001]));
	}

	public function testPhrasesAreWrittenWithTheRightFormAndTheLanguagesThousandsSeparator(): void {
		$ro = 'Câștigi %s punct|Câștigi %s puncte|Câștigi %s de puncte';
		$this->assertSame(['Câștigi 1 punct', 'Câștigi 2 puncte', 'Câștigi 20 de puncte', 'Câștigi 1.000 de puncte'],
			array_map(static fn(int $n): string => Plural::format($ro, $n, 'ro-ro', '.'), [1, 2, 20, 1000]));
		$ru = '%s балл сгорит %s|%s балла сгорят %s|%s баллов сгорят %s';
		$this->assertSame('21 балл сгорит 01.03.2027', Plural::format($ru, 21, 'ru-ru', ' ', '01.03.2027'));
		$this->assertSame('1 000 баллов сгорят 01.03.2027', Plural::format($ru, 1000, 'ru-ru', ' ', '01.03.2027'));
		$this->assertSame('Earn 5 points', Plural::format('Earn %s points', 5, 'en-gb'), 'a phrase with one form serves every count');
	}

	public function testEveryCountedPhraseHasTheFormsOfItsLanguage(): void {
		foreach (self::COUNTED as $file => $keys) {
			foreach (self::LANGUAGES as $language => $count) {
				$_ = [];
				require __DIR__ . '/../upload/' . sprintf($file, $language);
				foreach ($keys as $key) {
					$this->assertArrayHasKey($key, $_, "$language $file");
					$forms = explode('|', $_[$key]);
					$this->assertCount($count, $forms, "$language $key");
					$this->assertSame(array_fill(0, $count, substr_count($forms[0], '%s')), array_map(static fn(string $f): int => substr_count($f, '%s'), $forms), "$language $key: the same arguments in every form");
				}
			}
		}
	}
}
