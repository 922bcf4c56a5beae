<?php
declare(strict_types=1);

// Contract check, run by tests/e2e/opencart-plugin.test.ts: php quote.php URL API_KEY -> what the extension's
// EarnQuote says the fixture order's cart earns (its lines and coupon discount, customer 7), and what one unit of
// each product earns (one batched call), as JSON.

require __DIR__ . '/../bootstrap.php';

use Lojal\OpenCart\EarnQuote;
use Lojal\OpenCart\HttpClient;
use Lojal\OpenCart\Json;
use Lojal\OpenCart\PayloadBuilder;

[, $url, $key] = $argv;
$f = lojal_fixture('order-42.json');
unset($f['extra']['pointsRedeemed']);
$f['totals'] = array_values(array_filter($f['totals'], static fn(array $t): bool => $t['code'] !== 'lojal'));
$order = (new PayloadBuilder('USD', 2, 'Europe/Warsaw'))->order($f['order'], $f['products'], $f['totals'], $f['extra']);
$cache = [];
$quote = new EarnQuote(new HttpClient($url, $key), static function (string $k) use (&$cache) { return $cache[$k] ?? null; }, static function (string $k, int $v) use (&$cache): void { $cache[$k] = $v; });
$cart = $quote->forCart($order['lines'], '7', ['discount' => $order['discount']]);
$products = $quote->forProducts(array_map(static fn(array $l): array => ['productId' => $l['productId'], 'unitPrice' => $l['unitPrice'], 'sku' => $l['sku'], 'categories' => $l['categories']], $order['lines']), '', '7');
echo Json::encode(['cart' => $cart, 'products' => $products]);
