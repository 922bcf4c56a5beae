<?php
declare(strict_types=1);

use Lojal\WooCommerce\Storefront\ActivityWords;
use PHPUnit\Framework\TestCase;

final class ActivityWordsTest extends TestCase {
	public function testEachEntryReadsInTheCustomersWords(): void {
		$say = static fn(array $e): array => [ActivityWords::phrase($e), ActivityWords::points($e)];
		$this->assertSame(['Points for order #21 (pending)', '+120'], $say(['kind' => 'earn', 'points' => 120, 'orderId' => '21']));
		$this->assertSame(['Points for order #21 are ready to spend', '0'], $say(['kind' => 'mature', 'points' => 0, 'orderId' => '21']));
		$this->assertSame(['Points taken back: return or refund of order #21', '−10'], $say(['kind' => 'reverse', 'points' => -10, 'orderId' => '21']));
		$this->assertSame(['Points spent on order #24', '−300'], $say(['kind' => 'commit', 'points' => -300, 'orderId' => '24']));
		$this->assertSame(['Points given back: refund of order #24', '+150'], $say(['kind' => 'restore', 'points' => 150, 'orderId' => '24']));
		$this->assertSame(['Points withdrawn: an order was cancelled', '−40'], $say(['kind' => 'void', 'points' => -40]));
		$this->assertSame(['Points expired', '−5'], $say(['kind' => 'expire', 'points' => -5]));
		$this->assertSame(['Correction by the shop: Goodwill', '+1,000'], $say(['kind' => 'adjust', 'points' => 1000, 'reason' => 'Goodwill']));
		$this->assertSame(['Points carried over from the old program', '+40'], $say(['kind' => 'import', 'points' => 40]));
		$this->assertSame(['Points forgiven', '+3'], $say(['kind' => 'writeoff', 'points' => 3]));
		$this->assertSame(['Points changed', '+1'], $say(['kind' => 'something-new', 'points' => 1]));
	}

	public function testHoldsAndReleasesShowTheirPointsInParenthesesNeitherAddedNorTaken(): void {
		$this->assertSame(['Points set aside for checkout', '(300)'], [ActivityWords::phrase(['kind' => 'hold', 'points' => -300]), ActivityWords::points(['kind' => 'hold', 'points' => -300])]);
		$this->assertSame(['Points set aside for checkout are back', '(300)'], [ActivityWords::phrase(['kind' => 'release', 'points' => 300]), ActivityWords::points(['kind' => 'release', 'points' => 300])]);
	}

	public function testBonusesNameTheirKind(): void {
		$this->assertSame('Welcome bonus', ActivityWords::phrase(['kind' => 'bonus', 'points' => 50, 'metadata' => ['bonusKind' => 'signup']]));
		$this->assertSame('Bonus for a review', ActivityWords::phrase(['kind' => 'bonus', 'points' => 50, 'bonusKind' => 'review']));
		$this->assertSame('Bonus points', ActivityWords::phrase(['kind' => 'bonus', 'points' => 50, 'bonusKind' => 'custom']));
	}
}
