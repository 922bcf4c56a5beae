<?php
declare(strict_types=1);

use Lojal\OpenCart\EarnQuote;
use Lojal\OpenCart\PayloadBuilder;
use Lojal\OpenCart\HttpClient;
use PHPUnit\Framework\TestCase;

final class EarnQuoteTest extends TestCase {
	private array $cache = [];

	private function quote(?HttpClient $client): EarnQuote {
		return new EarnQuote($client, fn(string $k) => $this->cache[$k] ?? null, function (string $k, int $v): void { $this->cache[$k] = $v; });
	}

	private static function ok(array $lines, ?array $tier = ['id' => 'tier_gold', 'multiplier' => 1.5]): array {
		return ['status' => 200, 'json' => ['points' => array_sum(array_column($lines, 'points')), 'lines' => $lines, 'tier' => $tier], 'error' => ''];
	}

	public function testCacheKeyIsPerTierProductAndPrice(): void {
		$this->assertSame('lojal.earn.base.40.10100', EarnQuote::cacheKey('base', '40', 10100));
		$this->assertSame('lojal.earn.tier_gold.40.10100', EarnQuote::cacheKey('tier_gold', '40', 10100));
		$this->assertNotSame(EarnQuote::cacheKey('base', '40', 10100), EarnQuote::cacheKey('base', '40', 9000));
		$this->assertSame('lojal.earn.a_b___.41.1', EarnQuote::cacheKey('a.b/..', '4x1', 1));
	}

	public function testOneBatchedCallForTheUncachedProductsOfAPage(): void {
		$this->cache[EarnQuote::cacheKey('base', '41', 10000)] = 100;
		$client = new ScriptedClient([self::ok([['id' => '40', 'points' => 101], ['id' => '33', 'points' => 200]], null)]);
		$r = $this->quote($client)->forProducts([
			['productId' => '40', 'unitPrice' => 10100, 'categories' => ['20', 24]],
			['productId' => '41', 'unitPrice' => 10000],
			['productId' => '33', 'unitPrice' => 20000],
			['productId' => '40', 'unitPrice' => 10100],
		], 'base', null);
		$this->assertSame(['41' => 100, '40' => 101, '33' => 200], $r['points']);
		$this->assertCount(1, $client->calls);
		$call = $client->calls[0];
		$this->assertSame(['POST', '/v1/earning/quote', 300], [$call['method'], $call['path'], $call['timeout']]);
		$this->assertSame(['lines' => [
			['id' => '40', 'productId' => '40', 'sku' => '', 'categories' => ['20', '24'], 'quantity' => 1, 'unitPrice' => 10100],
			['id' => '33', 'productId' => '33', 'sku' => '', 'categories' => [], 'quantity' => 1, 'unitPrice' => 20000],
		]], $call['payload']);
		$this->assertSame(101, $this->cache[EarnQuote::cacheKey('base', '40', 10100)]);
		$this->assertSame('base', $r['tier']);
	}

	public function testEverythingCachedMeansNoCall(): void {
		$this->cache[EarnQuote::cacheKey('base', '40', 10100)] = 101;
		$client = new ScriptedClient([self::ok([])]);
		$r = $this->quote($client)->forProducts([['productId' => '40', 'unitPrice' => 10100]], 'base', null);
		$this->assertSame(['40' => 101], $r['points']);
		$this->assertSame([], $client->calls);
	}

	public function testACustomersFiguresAreCachedUnderTheTierTheServiceAnswered(): void {
		$client = new ScriptedClient([self::ok([['id' => '40', 'points' => 151]])]);
		$r = $this->quote($client)->forProducts([['productId' => '40', 'unitPrice' => 10100]], '', '7');
		$this->assertSame('7', $client->calls[0]['payload']['customerId']);
		$this->assertSame('tier_gold', $r['tier']);
		$this->assertSame(151, $this->cache[EarnQuote::cacheKey('tier_gold', '40', 10100)]);
		$this->assertArrayNotHasKey(EarnQuote::cacheKey('base', '40', 10100), $this->cache);
	}

	public function testATimeoutLeavesTheFigureOutAndCachesNothing(): void {
		$client = new ScriptedClient([['status' => 0, 'json' => null, 'error' => 'Operation timed out after 300 milliseconds']]);
		$r = $this->quote($client)->forProducts([['productId' => '40', 'unitPrice' => 10100]], 'base', null);
		$this->assertSame([], $r['points']);
		$this->assertSame([], $this->cache);
		$this->assertNull($this->quote($client)->forCart([['id' => '1', 'productId' => '40', 'unitPrice' => 10100, 'quantity' => 2]], '7'));
	}

	public function testTheCartIsQuotedWithItsQuantities(): void {
		$client = new ScriptedClient([self::ok([['id' => 'c1', 'points' => 202]])]);
		$this->assertSame(202, $this->quote($client)->forCart([['id' => 'c1', 'productId' => '40', 'unitPrice' => 10100, 'quantity' => 2]], '7'));
		$this->assertSame(['lines' => [['quantity' => 2, 'id' => 'c1', 'productId' => '40', 'sku' => '', 'categories' => [], 'unitPrice' => 10100]], 'customerId' => '7'], $client->calls[0]['payload']);
	}

	public function testTheCartIsQuotedWithItsTotalsSoFarAndThePointsSpentOnIt(): void {
		$client = new ScriptedClient([self::ok([['id' => 'c1', 'points' => 190]])]);
		$totals = [['code' => 'sub_total', 'value' => '202.0000'], ['code' => 'coupon', 'value' => '-2.0000'], ['code' => 'shipping', 'value' => '5.0000'],
			['code' => 'tax', 'value' => '40.0000'], ['code' => 'lojal', 'value' => '-10.0000'], ['code' => 'total', 'value' => '235.0000']];
		$amounts = (new PayloadBuilder('USD', 2))->amounts($totals);
		$this->assertSame(['discount' => 200, 'shipping' => 500, 'tax' => 4000, 'pointsAmount' => 1000], $amounts);
		$this->quote($client)->forCart([['id' => 'c1', 'productId' => '40', 'unitPrice' => 10100, 'quantity' => 2]], null, $amounts);
		$payload = $client->calls[0]['payload'];
		$this->assertSame([200, 500, 4000, 1000], [$payload['discount'], $payload['shipping'], $payload['tax'], $payload['pointsAmount']]);
		$this->assertArrayNotHasKey('customerId', $payload);
	}

	public function testMarkersAreFoundOnceAndFilled(): void {
		$html = '<div>' . EarnQuote::marker('40') . '</div><div>' . EarnQuote::marker('33') . EarnQuote::marker('40') . '</div>';
		$this->assertSame(['40', '33'], EarnQuote::markedIds($html));
		$this->assertSame('<div>[40]</div><div>[33][40]</div>', EarnQuote::fillMarkers($html, static fn(string $id): string => '[' . $id . ']'));
		$this->assertSame('<div></div><div></div>', EarnQuote::fillMarkers($html, static fn(): string => ''));
	}
}
