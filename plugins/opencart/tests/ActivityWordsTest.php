<?php
declare(strict_types=1);

use Lojal\OpenCart\ActivityWords;
use PHPUnit\Framework\TestCase;

final class ActivityWordsTest extends TestCase {
	private static function text(string $lang): callable {
		$_ = [];
		require __DIR__ . '/../upload/catalog/language/' . $lang . '/account/points.php';
		return static fn(string $key): string => $_[$key] ?? $key;
	}

	public static function entries(): array {
		return [
			'earn with its order' => [['kind' => 'earn', 'points' => 202, 'orderId' => '2'], 'Points for order #2 (pending)'],
			'mature' => [['kind' => 'mature', 'points' => 202, 'orderId' => '2'], 'Points for order #2 are ready to spend'],
			'return' => [['kind' => 'reverse', 'points' => -101, 'orderId' => '2', 'refundId' => 'return-1'], 'Points taken back: return or refund of order #2'],
			'spent' => [['kind' => 'commit', 'points' => -500, 'orderId' => '5'], 'Points spent on order #5'],
			'hold' => [['kind' => 'hold', 'points' => -500], 'Points set aside for checkout'],
			'expire' => [['kind' => 'expire', 'points' => -30], 'Points expired'],
			'adjustment with its reason' => [['kind' => 'adjust', 'points' => 50, 'reason' => 'sorry for the delay'], 'Correction by the shop: sorry for the delay'],
			'birthday bonus' => [['kind' => 'bonus', 'points' => 100, 'bonusKind' => 'birthday'], 'Birthday bonus'],
			'custom bonus' => [['kind' => 'bonus', 'points' => 100, 'bonusKind' => 'custom'], 'Bonus points'],
			'import' => [['kind' => 'import', 'points' => 300], 'Points carried over from the old program'],
			'unknown kind' => [['kind' => 'something-new', 'points' => 1], 'Points changed'],
		];
	}

	/** @dataProvider entries */
	public function testEachKindReadsAsAPhrase(array $entry, string $expected): void {
		$this->assertSame($expected, ActivityWords::phrase($entry, self::text('en-gb')));
	}

	public function testEveryLanguageHasEveryPhrase(): void {
		foreach (['en-gb', 'pl-pl', 'ro-ro', 'ru-ru'] as $lang) {
			$text = self::text($lang);
			foreach (ActivityWords::KINDS as $kind) $this->assertNotSame('text_activity_' . $kind, $text('text_activity_' . $kind), $lang . ' ' . $kind);
			$this->assertStringContainsString('#7', ActivityWords::phrase(['kind' => 'earn', 'orderId' => '7'], $text), $lang);
		}
	}

	public function testPointsAreSignedForTheReader(): void {
		$this->assertSame(['+120', '−40', '0'], [ActivityWords::points(['points' => 120]), ActivityWords::points(['points' => -40]), ActivityWords::points([])]);
		// A hold and its release neither add nor take: the order's commit is what spends them (seen in a real shop:
		// "set aside +300" then "spent −300" read as if 600 points had moved).
		$this->assertSame(['(300)', '(300)', '−300'], [ActivityWords::points(['kind' => 'hold', 'points' => 300]), ActivityWords::points(['kind' => 'release', 'points' => -300]),
			ActivityWords::points(['kind' => 'commit', 'points' => -300])]);
	}
}
