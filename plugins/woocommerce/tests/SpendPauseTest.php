<?php
declare(strict_types=1);

use Lojal\WooCommerce\Core\HttpClient;
use Lojal\WooCommerce\Core\ServicePause;
use Lojal\WooCommerce\Settings;
use Lojal\WooCommerce\Spend\HoldKeeper;
use Lojal\WooCommerce\Spend\Redemptions;
use Lojal\WooCommerce\Spend\Spending;
use Lojal\WooCommerce\Storefront\EarnQuote;
use Lojal\WooCommerce\Storefront\PageBudget;
use Lojal\WooCommerce\Storefront\Shop;
use PHPUnit\Framework\TestCase;

/** The spending quote while the service does not answer: one page waits, the next 30 s of pages do not. */
final class SpendPauseTest extends TestCase {
	private const T = 1795168800;
	private int $now = self::T;
	private array $store = [];
	private array $logged = [];
	private ArraySpendSession $session;
	private FakeTransport $http;
	private ServicePause $pause;

	protected function setUp(): void {
		WpStub::reset();
		$this->session = new ArraySpendSession();
		$this->pause = new ServicePause(fn(string $k): mixed => $this->store[$k] ?? false, function (string $k, mixed $v, int $s): void { $this->store[$k] = $v; }, fn(): int => $this->now);
		$this->http = new FakeTransport([]);
	}

	/** A page's HoldKeeper at $this->now, over the shared pause and the fake transport. */
	private function keeper(): HoldKeeper {
		$redemptions = new Redemptions(new HttpClient('http://lojal.test', 'lj_sk_x', $this->http), $this->pause);
		return new HoldKeeper($this->session, $redemptions, $this->now, function (string $m): void { $this->logged[] = $m; });
	}

	private static function quote(): array {
		return ['status' => 200, 'body' => json_encode(['available' => 1200, 'maxPoints' => 800, 'minPoints' => 0, 'pointValue' => 1, 'maxAmount' => 800])];
	}

	public function testAfterNoAnswerTheQuoteIsNotAskedFor30SecondsThenItIsAgain(): void {
		$this->http->answers = [['status' => 0, 'error' => 'cURL error 28: Operation timed out after 300 milliseconds']];
		$this->assertNull($this->keeper()->quote(7, 3000, 'USD'));
		$this->assertCount(1, $this->http->requests);
		foreach ([1, 15, 29] as $later) {
			$this->now = self::T + $later;
			$this->assertNull($this->keeper()->quote(7, 3000, 'USD'), "+$later s");
			$this->assertSame(['ok' => false, 'error' => 'unavailable'], $this->keeper()->apply(7, 500, 'fp', 3000, 'USD'), "+$later s");
		}
		$this->assertCount(1, $this->http->requests, 'no call while paused');
		$this->assertCount(1, $this->logged, 'the outage logged once');
		$this->now = self::T + ServicePause::SECONDS;
		$this->http->answers = [self::quote()];
		$this->assertSame(800, $this->keeper()->quote(7, 3000, 'USD')['maxPoints']);
		$this->assertCount(2, $this->http->requests, 'the first call after 30 s tries again');
	}

	public function testAnErrorAnswerIsNoOutage(): void {
		$this->http->answers = [['status' => 503, 'body' => '{"code":"unavailable"}'], self::quote()];
		$this->assertNull($this->keeper()->quote(7, 3000, 'USD'));
		$this->assertSame(800, $this->keeper()->quote(7, 3000, 'USD')['maxPoints']);
		$this->assertCount(2, $this->http->requests);
	}

	public function testTheEarningAndTheSpendingQuotesShareOnePause(): void {
		$this->http->answers = [['status' => 0, 'error' => 'cURL error 7: Failed to connect']];
		$this->assertNull($this->keeper()->quote(7, 3000, 'USD'));
		$earn = new FakeTransport([]);
		$quote = new EarnQuote(new HttpClient('http://lojal.test', 'lj_sk_x', $earn), static fn(): mixed => false, static function (): void {}, new PageBudget(), $this->pause);
		$this->assertNull($quote->forCart(['lines' => [['id' => '1']]]));
		$this->assertSame([], $earn->requests);
	}

	public function testInTheShopTheCartBoxAndTheEarnFigureSkipTheServiceAfterAnOutage(): void {
		WpStub::$options = [Settings::ENABLED => 'yes', Settings::URL => 'http://lojal.test', Settings::API_KEY => 'lj_sk_x', Settings::SECRET => 'lj_whsec_x'];
		SpendStub::reset(7, new WC_Cart([[11, 0, 2, '12.50']], '25.00', '5.00'));
		WpStub::$http = [new WP_Error('http_request_failed', 'cURL error 28: Operation timed out after 300 milliseconds')];
		$this->assertSame(['state' => 'none'], (new Spending(lojal_services()))->view());
		$this->assertCount(1, WpStub::$requests);
		$this->assertSame(['state' => 'none'], (new Spending(lojal_services()))->view(), 'the next cart page');
		$this->assertNull((new Shop(lojal_services()))->quote()->forCart(['lines' => [['id' => '1']]]));
		$this->assertCount(1, WpStub::$requests, 'neither asked the service again');
		$this->assertGreaterThan(time(), WpStub::$transients[ServicePause::KEY]);
	}
}
