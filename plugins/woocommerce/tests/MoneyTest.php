<?php
declare(strict_types=1);

use Lojal\WooCommerce\Core\Currencies;
use Lojal\WooCommerce\Core\Money;
use PHPUnit\Framework\TestCase;

final class MoneyTest extends TestCase {
	/** @return array<string, array{0:string|int|float|null, 1:int, 2:int}> */
	public static function amounts(): array {
		return [
			'cents' => ['12.50', 2, 1250],
			'no fraction' => ['25', 2, 2500],
			'unrounded line total' => ['41.666667', 2, 4167],
			'half rounds up' => ['0.005', 2, 1],
			'half rounds away from zero' => ['-0.005', 2, -1],
			'refund negative' => ['-11.25', 2, -1125],
			'1.005 as text' => ['1.005', 2, 101],
			'1.005 as a float' => [1.005, 2, 101],
			'0.1 + 0.2 as a float' => [0.1 + 0.2, 2, 30],
			'19.99 as a float' => [19.99, 2, 1999],
			'zero decimals' => ['4114', 0, 4114],
			'zero decimals, shop shows two' => ['1200.50', 0, 1201],
			'three decimals' => ['5.1235', 3, 5124],
			'leading plus and spaces' => [' +3.10 ', 2, 310],
			'only a fraction' => ['.5', 2, 50],
			'exponent' => ['1e2', 2, 10000],
			'integer' => [12, 2, 1200],
			'empty' => ['', 2, 0],
			'null' => [null, 2, 0],
			'large' => ['99999999999.99', 2, 9999999999999],
		];
	}

	/** @dataProvider amounts */
	public function testConvertsToMinorUnits(string|int|float|null $value, int $decimals, int $expected): void {
		$this->assertSame($expected, Money::minor($value, $decimals));
	}

	public function testEveryCentAmountUpToAHundredIsExact(): void {
		for ($cents = 0; $cents < 10000; $cents++) {
			$text = intdiv($cents, 100) . '.' . str_pad((string)($cents % 100), 2, '0', STR_PAD_LEFT);
			$this->assertSame($cents, Money::minor($text, 2), $text);
			$this->assertSame($cents, Money::minor((float)$text, 2), $text . ' as a float');
		}
	}

	public function testRefusesWhatIsNotAnAmount(): void {
		$this->expectException(\InvalidArgumentException::class);
		Money::minor('12,50', 2);
	}

	public function testCurrencyDigitsAreTheServicesNotTheShopsDisplaySetting(): void {
		$this->assertSame(0, Currencies::decimals('JPY'));
		$this->assertSame(0, Currencies::decimals('huf'));
		$this->assertSame(3, Currencies::decimals('KWD'));
		$this->assertSame(2, Currencies::decimals('PLN'));
		$this->assertSame(2, Currencies::decimals('USD'));
	}
}
