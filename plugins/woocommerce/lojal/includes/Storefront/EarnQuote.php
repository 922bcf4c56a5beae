<?php
declare(strict_types=1);

namespace Lojal\WooCommerce\Storefront;

use Lojal\WooCommerce\Core\HttpClient;
use Lojal\WooCommerce\Core\Json;
use Lojal\WooCommerce\Core\ServicePause;

/**
 * "Earn N points" figures from `POST /v1/earning/quote` (API.md). A page's products: what is cached (per tier,
 * product and unit price, CACHE_SECONDS) comes from the cache, all the rest from ONE call. A cart: one call for its
 * lines and totals, cached by the whole request body. Every call runs within the page's PageBudget; on a timeout or
 * an error the figures not known are left out and nothing is cached; after no answer at all, no call is made while
 * the ServicePause lasts (30 s), so an outage costs one page its 300 ms, not every page.
 */
final class EarnQuote {
	public const CACHE_SECONDS = 60;
	/** The tier key of a guest, and of a customer whose tier is not known yet. */
	public const BASE_TIER = 'base';
	/** The most lines the service takes in one quote. */
	public const MAX_LINES = 200;

	/** @var callable(string): mixed */
	private $cacheGet;
	/** @var callable(string, mixed, int): void */
	private $cacheSet;

	/**
	 * @param callable(string $key): mixed $cacheGet null/false when absent (get_transient)
	 * @param callable(string $key, mixed $value, int $seconds): void $cacheSet (set_transient)
	 */
	public function __construct(private ?HttpClient $client, callable $cacheGet, callable $cacheSet, private PageBudget $budget, private ServicePause $pause) {
		$this->cacheGet = $cacheGet;
		$this->cacheSet = $cacheSet;
	}

	public static function cacheKey(string $tier, string $productId, int $unitPrice): string {
		$tier = preg_replace('/[^A-Za-z0-9_-]/', '_', $tier);
		if (strlen($tier) > 64) $tier = md5($tier);
		return 'lojal_earn_' . $tier . '_' . preg_replace('/[^0-9]/', '', $productId) . '_' . $unitPrice;
	}

	/** One quote line per product: quantity 1 at its unit price (minor units, without tax). */
	public static function line(array $product): array {
		return [
			'id' => (string)$product['productId'],
			'productId' => (string)$product['productId'],
			'sku' => ($product['sku'] ?? '') !== '' ? (string)$product['sku'] : null,
			'categories' => array_values(array_map('strval', $product['categories'] ?? [])),
			'quantity' => 1,
			'unitPrice' => (int)$product['unitPrice'],
		];
	}

	/**
	 * @param list<array{productId:string, unitPrice:int, sku?:string, categories?:array}> $products
	 * @param string $tier the tier the figures are cached under (BASE_TIER for a guest or an unknown tier)
	 * @return array{points: array<string,int>, tier: ?string, requested: int} points per product id (those known),
	 *   the tier the service answered (to remember for the customer), how many products were asked for
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
		$missing = array_slice($missing, 0, self::MAX_LINES, true);
		if (!$missing) return ['points' => $points, 'tier' => null, 'requested' => 0];
		$body = ['lines' => array_values(array_map([self::class, 'line'], $missing))];
		if ($customerId !== null) $body['customerId'] = $customerId;
		$json = $this->call($body);
		if ($json === null) return ['points' => $points, 'tier' => null, 'requested' => count($missing)];
		$answeredTier = self::tierKey($json['tier'] ?? null);
		foreach ((array)($json['lines'] ?? []) as $line) {
			$id = (string)($line['id'] ?? '');
			if (!isset($missing[$id]) || !is_numeric($line['points'] ?? null)) continue;
			$points[$id] = (int)$line['points'];
			($this->cacheSet)(self::cacheKey($answeredTier, $id, (int)$missing[$id]['unitPrice']), $points[$id], self::CACHE_SECONDS);
		}
		return ['points' => $points, 'tier' => $answeredTier, 'requested' => count($missing)];
	}

	/**
	 * What a whole cart earns (CartQuote::body), or null when it cannot be known within the page's budget.
	 * Cached by the body: the same lines, totals and customer quote the same within a minute.
	 */
	public function forCart(?array $body): ?int {
		if ($body === null || !$body['lines'] || count($body['lines']) > self::MAX_LINES) return null;
		$key = 'lojal_cart_' . md5(Json::encode($body));
		$cached = ($this->cacheGet)($key);
		if (is_numeric($cached)) return (int)$cached;
		$json = $this->call($body);
		if ($json === null || !is_numeric($json['points'] ?? null)) return null;
		($this->cacheSet)($key, (int)$json['points'], self::CACHE_SECONDS);
		return (int)$json['points'];
	}

	public static function tierKey(mixed $tier): string {
		return is_array($tier) && isset($tier['id']) && (string)$tier['id'] !== '' ? (string)$tier['id'] : self::BASE_TIER;
	}

	/** The quote's answer, or null (no client, the service marked down, no time left, an error). */
	private function call(array $body): ?array {
		if ($this->client === null || $this->pause->active()) return null;
		$answer = $this->budget->run(fn(float $seconds): array => $this->client->json('POST', '/v1/earning/quote', $body, $seconds));
		if ($answer === null) return null;
		$this->pause->note($answer);
		return $answer['error'] === '' && is_array($answer['json']) ? $answer['json'] : null;
	}
}
