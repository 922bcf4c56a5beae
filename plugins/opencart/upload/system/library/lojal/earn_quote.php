<?php
declare(strict_types=1);

namespace Lojal\OpenCart;

/**
 * "Earn N points" for a page's products: what is cached (per product, unit price and tier) is answered from the
 * cache, everything else from ONE `POST /v1/earning/quote` with a 300 ms limit. On a timeout or an error the
 * products not cached get no figure (the message is left out), and nothing is cached.
 */
final class EarnQuote {
	public const TIMEOUT_MS = 300;
	public const CACHE_SECONDS = 60;
	/** The tier key of a guest, and of a customer whose tier is not known yet. */
	public const BASE_TIER = 'base';

	/** @var callable(string):mixed */
	private $cacheGet;
	/** @var callable(string, int):void */
	private $cacheSet;

	/** @param callable(string):mixed $cacheGet @param callable(string, int):void $cacheSet */
	public function __construct(private ?HttpClient $client, callable $cacheGet, callable $cacheSet) {
		$this->cacheGet = $cacheGet;
		$this->cacheSet = $cacheSet;
	}

	public static function cacheKey(string $tier, string $productId, int $unitPrice): string {
		return 'lojal.earn.' . preg_replace('/[^A-Za-z0-9_]/', '_', $tier) . '.' . preg_replace('/[^0-9]/', '', $productId) . '.' . $unitPrice;
	}

	/** One quote line per product: quantity 1 at its unit price (minor units, without tax). */
	public static function line(array $product): array {
		return [
			'id' => (string)$product['productId'],
			'productId' => (string)$product['productId'],
			'sku' => (string)($product['sku'] ?? ''),
			'categories' => array_values(array_map('strval', $product['categories'] ?? [])),
			'quantity' => 1,
			'unitPrice' => (int)$product['unitPrice'],
		];
	}

	/**
	 * @param list<array{productId:string, unitPrice:int, sku?:string, categories?:array}> $products
	 * @param string $tier the tier the figures are cached under (BASE_TIER for a guest or an unknown tier)
	 * @return array{points: array<string,int>, tier: ?string, requested: int} points per product id (only those
	 *   known); the tier the service answered (to remember for the customer), how many products were asked for
	 */
	public function forProducts(array $products, string $tier, ?string $customerId): array {
		$points = [];
		$missing = [];
		foreach ($products as $product) {
			$id = (string)$product['productId'];
			if (isset($points[$id]) || isset($missing[$id])) continue;
			$cached = ($this->cacheGet)(self::cacheKey($tier, $id, (int)$product['unitPrice']));
			if (is_numeric($cached)) $points[$id] = (int)$cached;
			else $missing[$id] = $product;
		}
		if (!$missing || $this->client === null) return ['points' => $points, 'tier' => null, 'requested' => 0];
		$body = ['lines' => array_values(array_map([self::class, 'line'], $missing))];
		if ($customerId !== null) $body['customerId'] = $customerId;
		$answer = $this->client->json('POST', '/v1/earning/quote', $body, self::TIMEOUT_MS);
		if ($answer['error'] !== '' || !is_array($answer['json'])) return ['points' => $points, 'tier' => null, 'requested' => count($missing)];
		$answeredTier = self::tierKey($answer['json']['tier'] ?? null);
		foreach ((array)($answer['json']['lines'] ?? []) as $line) {
			$id = (string)($line['id'] ?? '');
			if (!isset($missing[$id]) || !is_numeric($line['points'] ?? null)) continue;
			$points[$id] = (int)$line['points'];
			($this->cacheSet)(self::cacheKey($answeredTier, $id, (int)$missing[$id]['unitPrice']), $points[$id]);
		}
		return ['points' => $points, 'tier' => $answeredTier, 'requested' => count($missing)];
	}

	/**
	 * What a whole cart earns (not cached: quantities and discounts make every cart its own), or null on a timeout.
	 * @param list<array{id:string, productId:string, unitPrice:int, quantity:int, sku?:string, categories?:array}> $lines
	 * @param array{discount?:int, shipping?:int, tax?:int, pointsAmount?:int} $amounts the cart's totals so far
	 *   (PayloadBuilder::amounts): the points spent on it earn nothing, as in the order
	 * @param ?int $timeoutMs what is left of a page's budget (default TIMEOUT_MS)
	 */
	public function forCart(array $lines, ?string $customerId, array $amounts = [], ?int $timeoutMs = null): ?int {
		if (!$lines || $this->client === null) return null;
		$body = ['lines' => array_map(static fn(array $l): array => ['quantity' => (int)$l['quantity'], 'id' => (string)$l['id']] + self::line($l), $lines)];
		foreach (['discount', 'shipping', 'tax', 'pointsAmount'] as $key) {
			if ((int)($amounts[$key] ?? 0) > 0) $body[$key] = (int)$amounts[$key];
		}
		if ($customerId !== null) $body['customerId'] = $customerId;
		$answer = $this->client->json('POST', '/v1/earning/quote', $body, min($timeoutMs ?? self::TIMEOUT_MS, self::TIMEOUT_MS));
		return $answer['error'] === '' && is_numeric($answer['json']['points'] ?? null) ? (int)$answer['json']['points'] : null;
	}

	public static function tierKey(mixed $tier): string {
		return is_array($tier) && isset($tier['id']) && (string)$tier['id'] !== '' ? (string)$tier['id'] : self::BASE_TIER;
	}

	/** A marker left in a product thumb, replaced once the page's products are quoted together. */
	public static function marker(string $productId): string {
		return '<!--lojal-earn:' . preg_replace('/[^0-9]/', '', $productId) . '-->';
	}

	/** @return list<string> the product ids of the markers in a page, in order, once each */
	public static function markedIds(string $html): array {
		preg_match_all('/<!--lojal-earn:(\d+)-->/', $html, $m);
		return array_values(array_unique($m[1]));
	}

	/** @param callable(string):string $render the snippet for a product id (empty: leave it out) */
	public static function fillMarkers(string $html, callable $render): string {
		return (string)preg_replace_callback('/<!--lojal-earn:(\d+)-->/', static fn(array $m): string => $render($m[1]), $html);
	}
}
