<?php
declare(strict_types=1);

use Lojal\WooCommerce\Core\HttpClient;
use Lojal\WooCommerce\Core\ServicePause;
use Lojal\WooCommerce\Storefront\EarnQuote;
use Lojal\WooCommerce\Storefront\PageBudget;
use PHPUnit\Framework\TestCase;

final class EarnQuoteTest extends TestCase {
	private array $cache = [];
	/** @var list<array{0:string, 1:int}> */
	private array $sets = [];

	private function quote(FakeTransport $transport, ?PageBudget $budget = null): EarnQuote {
		$get = fn(string $k): mixed => $this->cache[$k] ?? false;
		$set = function (string $k, mixed $v, int $seconds): void { $this->cache[$k] = $v; $this->sets[] = [$k, $seconds]; };
		return new EarnQuote(new HttpClient('http://lojal.test', 'lj_sk_x', $transport), $get, $set, $budget ?? new PageBudget(), new ServicePause($get, $set));
	}

	private static function products(): array {
		return [
			['productId' => '10', 'unitPrice' => 1250, 'sku' => 'LJ-MUG', 'categories' => ['15']],
			['productId' => '17', 'unitPrice' => 1000, 'sku' => 'LJ-CAP-S', 'categories' => ['15']],
			['productId' => '10', 'unitPrice' => 1250, 'sku' => 'LJ-MUG', 'categories' => ['15']],
		];
	}

	public function testAPagesProductsAreQuotedInOneCallAndCachedPerTierProductAndPriceForAMinute(): void {
		$t = new FakeTransport([['status' => 200, 'body' => '{"points":45,"lines":[{"id":"10","points":25},{"id":"17","points":20}],"tier":{"id":"gold","multiplier":1.5}}']]);
		$result = $this->quote($t)->forProducts(self::products(), 'unknown', '7');
		$this->assertSame(['points' => ['10' => 25, '17' => 20], 'tier' => 'gold', 'requested' => 2], $result);
		$this->assertCount(1, $t->requests);
		$this->assertSame('http://lojal.test/v1/earning/quote', $t->requests[0]['url']);
		$this->assertSame(['lines' => [
			['id' => '10', 'productId' => '10', 'sku' => 'LJ-MUG', 'categories' => ['15'], 'quantity' => 1, 'unitPrice' => 1250],
			['id' => '17', 'productId' => '17', 'sku' => 'LJ-CAP-S', 'categories' => ['15'], 'quantity' => 1, 'unitPrice' => 1000],
		], 'customerId' => '7'], json_decode((string)$t->requests[0]['body'], true));
		$this->assertSame([['lojal_earn_gold_10_1250', 60], ['lojal_earn_gold_17_1000', 60]], $this->sets);
		// The same page again under the tier learnt: nothing asked.
		$again = $this->quote($t2 = new FakeTransport([]))->forProducts(self::products(), 'gold', '7');
		$this->assertSame(['10' => 25, '17' => 20], $again['points']);
		$this->assertSame([], $t2->requests);
	}

	public function testOnlyTheProductsNotCachedAreAskedForAndANewPriceIsANewFigure(): void {
		$this->cache['lojal_earn_base_10_1250'] = 25;
		$t = new FakeTransport([['status' => 200, 'body' => '{"points":36,"lines":[{"id":"10","points":16},{"id":"17","points":20}],"tier":null}']]);
		$products = self::products();
		$products[0]['unitPrice'] = 800;
		$result = $this->quote($t)->forProducts([...$products, ['productId' => '10', 'unitPrice' => 1250]], EarnQuote::BASE_TIER, null);
		$this->assertSame(['10' => 16, '17' => 20], $result['points']);
		$this->assertSame(['10', '17'], array_column(json_decode((string)$t->requests[0]['body'], true)['lines'], 'id'));
		$this->assertArrayNotHasKey('customerId', json_decode((string)$t->requests[0]['body'], true));
	}

	public function testATimeoutLeavesTheFiguresOutCachesNothingAndSparesTheNextPages(): void {
		$t = new FakeTransport([['status' => 0, 'error' => 'cURL error 28: Operation timed out after 300 milliseconds']]);
		$this->assertSame(['points' => [], 'tier' => null, 'requested' => 2], $this->quote($t)->forProducts(self::products(), 'base', null));
		$this->assertEqualsWithDelta(0.3, $t->requests[0]['timeout'], 0.0001);
		$this->assertSame([['lojal_quote_down', ServicePause::SECONDS]], $this->sets);
		$this->assertNull($this->quote($t2 = new FakeTransport([]))->forCart(['lines' => [['id' => '1']]]));
		$this->assertSame([], $t2->requests);
	}

	public function testAnErrorAnswerLeavesTheFiguresOutWithoutMarkingTheServiceDown(): void {
		$t = new FakeTransport([['status' => 401, 'body' => '{"code":"unauthorized"}']]);
		$this->assertSame([], $this->quote($t)->forProducts(self::products(), 'base', null)['points']);
		$this->assertSame([], $this->sets);
	}

	public function testACallGetsOnlyWhatIsLeftOfThePagesBudgetAndNoneWhenTooLittleIsLeft(): void {
		$now = 0;
		$budget = new PageBudget(300, static function () use (&$now): int { return $now; });
		$budget->run(static function () use (&$now): void { $now += 220_000_000; });
		$t = new FakeTransport([['status' => 200, 'body' => '{"points":90,"lines":[],"tier":null}']]);
		$this->assertSame(90, $this->quote($t, $budget)->forCart(['lines' => [['id' => '1']]]));
		$this->assertEqualsWithDelta(0.08, $t->requests[0]['timeout'], 0.0001);
		$budget->run(static function () use (&$now): void { $now += 40_000_000; });
		$this->cache = [];
		$this->assertNull($this->quote($t2 = new FakeTransport([]), $budget)->forCart(['lines' => [['id' => '1']]]));
		$this->assertSame([], $t2->requests);
	}

	public function testACartIsCachedByItsWholeBody(): void {
		$t = new FakeTransport([['status' => 200, 'body' => '{"points":90,"lines":[],"tier":null}'], ['status' => 200, 'body' => '{"points":82,"lines":[],"tier":null}']]);
		$quote = $this->quote($t);
		$body = ['lines' => [['id' => 'a', 'quantity' => 2]], 'shipping' => 500];
		$this->assertSame([90, 90], [$quote->forCart($body), $quote->forCart($body)]);
		$this->assertSame(82, $quote->forCart(['discount' => 400] + $body));
		$this->assertCount(2, $t->requests);
		$this->assertNull($quote->forCart(null));
		$this->assertNull($quote->forCart(['lines' => array_fill(0, EarnQuote::MAX_LINES + 1, ['id' => 'x'])]));
	}

	public function testWithoutAClientNothingIsAsked(): void {
		$quote = new EarnQuote(null, static fn(): mixed => false, static function (): void {}, new PageBudget(), new ServicePause(static fn(): mixed => false, static function (): void {}));
		$this->assertSame(['points' => [], 'tier' => null, 'requested' => 2], $quote->forProducts(self::products(), 'base', null));
	}
}
