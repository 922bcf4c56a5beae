<?php
declare(strict_types=1);

// Contract check, run by tests/e2e/woocommerce-plugin.test.ts against the service in the test suite:
// php cart-quote.php URL API_KEY WEBHOOK_SECRET
// The storefront's figures from the same classes the WordPress plugin runs (a cURL transport in place of
// wp_remote_request, an array in place of transients): what a cart says it earns, then the award of the order made
// from it (a coupon, a negative fee, shipping, tax; then points spent on a second one); one batched quote for a
// page's products, then the same page from the cache; an order's points before and after its award. JSON out.

require __DIR__ . '/../bootstrap.php';

use Lojal\WooCommerce\Core\Events;
use Lojal\WooCommerce\Core\HttpClient;
use Lojal\WooCommerce\Core\Json;
use Lojal\WooCommerce\Core\OrderPayload;
use Lojal\WooCommerce\Core\Sender;
use Lojal\WooCommerce\Core\ServicePause;
use Lojal\WooCommerce\Storefront\CartQuote;
use Lojal\WooCommerce\Storefront\EarnQuote;
use Lojal\WooCommerce\Storefront\OrderPoints;
use Lojal\WooCommerce\Storefront\PageBudget;

[, $url, $key, $secret] = $argv;

$calls = 0;
$transport = require __DIR__ . '/curl.php';
// Counts the requests, so the page's products can be shown quoted in one call, then from the cache.
$curl = static function (mixed ...$args) use (&$calls, $transport): array {
	$calls++;
	return $transport(...$args);
};
$client = new HttpClient($url, $key, $curl);
$cache = [];
// A test service's first answers can be slower than a shop's 300 ms; the budget's use is covered by phpunit.
$cacheGet = static function (string $k) use (&$cache): mixed { return $cache[$k] ?? false; };
$cacheSet = static function (string $k, mixed $v) use (&$cache): void { $cache[$k] = $v; };
$earn = new EarnQuote($client, $cacheGet, $cacheSet, new PageBudget(5000), new ServicePause($cacheGet, $cacheSet));
$at = gmdate('Y-m-d\TH:i:s\Z');
$award = static function (array $order) use ($client, $secret, $at): array {
	$event = Events::forStatus($order, 'paid', $at);
	$sent = (new Sender($client, $secret))->send($event['body']);
	$answer = $client->json('GET', '/v1/orders/' . $order['id']);
	return ['sent' => $sent['outcome'], 'points' => $answer['json']['award']['points'] ?? null, 'redeemed' => $answer['json']['redeemed'] ?? null];
};
$out = [];

// The order's points before anything reached the service: the estimate of its lines and totals.
$estimateOf = static fn(array $order): callable => static fn(): array => CartQuote::fromOrder(OrderPayload::forCurrency('USD')->order($order));
$order = lojal_fixture('cart-7-order.json');
$out['before'] = (new OrderPoints($client, new PageBudget(5000)))->forOrder('301', 'processing', $estimateOf($order));

// A cart (a coupon on both lines, a negative fee, shipping and tax) and the order WooCommerce makes from it.
$out['cart'] = $earn->forCart(CartQuote::body(lojal_fixture('cart-7.json')));
$out['order'] = $award($order);
$out['after'] = (new OrderPoints($client, new PageBudget(5000)))->forOrder('301', 'processing', $estimateOf($order));

// The same with 200 points spent on it: a hold, the points fee in the cart, the redemption on the order.
$client->json('POST', '/v1/members/7/adjustments', ['points' => 500, 'reason' => 'Contract test']);
$hold = $client->json('POST', '/v1/redemptions', ['customerId' => '7', 'points' => 200])['json'];
$cart = lojal_fixture('cart-7.json');
$cart['fee_lines'][] = ['id' => 'lojal-points', 'name' => 'Points', 'total' => '-' . number_format($hold['amount'] / 100, 2, '.', ''), OrderPayload::REDEMPTION_FEE_META => $hold['id']];
$cart['lojal_redemption'] = ['redemptionId' => $hold['id'], 'points' => 0];
$cart['total'] = '49.65';
$paid = ['id' => 302, 'number' => '302', 'total' => '49.65', 'lojal_redemption' => ['redemptionId' => $hold['id'], 'points' => 200, 'amount' => $hold['amount']]] + lojal_fixture('cart-7-order.json');
$paid['fee_lines'][] = ['id' => 34, 'name' => 'Points', 'total' => '-2.00', OrderPayload::REDEMPTION_FEE_META => $hold['id']];
$out['pointsCart'] = $earn->forCart(CartQuote::body($cart));
$out['pointsOrder'] = $award($paid);

// A page's products: one call for all, then none (the cache) for the same page.
$products = [['productId' => '11', 'unitPrice' => 1250, 'sku' => 'LJ-MUG', 'categories' => ['15', '16']], ['productId' => '23', 'unitPrice' => 2500, 'sku' => 'LJ-TEE-BL', 'categories' => ['17']], ['productId' => '12', 'unitPrice' => 400, 'categories' => []]];
$calls = 0;
$first = $earn->forProducts($products, 'unknown', '7');
$out['products'] = ['points' => $first['points'], 'tier' => $first['tier'], 'calls' => $calls];
$calls = 0;
$out['productsAgain'] = ['points' => $earn->forProducts($products, $first['tier'], '7')['points'], 'calls' => $calls];

echo Json::encode($out);
