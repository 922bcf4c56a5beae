<?php
declare(strict_types=1);

// Contract check of spending points, run by tests/e2e/woocommerce-plugin.test.ts against the service in the test
// suite: php spend.php URL KEY SECRET (a USD shop with the default program: 1 point per dollar, a point worth a
// cent, up to 100 % of an order). The plugin's own classes with a cURL transport in place of wp_remote_request:
// the session's HoldKeeper asks the quote and holds 500 points for a cart; the order WooCommerce would make of that
// cart (its "Loyalty points (500)" fee line and _lojal_redemption as the checkout writes them) goes out as the
// plugin's signed order.paid and order.completed events; then another hold is let go when its cart changes.
// Prints what it saw as JSON.

require __DIR__ . '/../bootstrap.php';

use Lojal\WooCommerce\Core\Events;
use Lojal\WooCommerce\Core\HttpClient;
use Lojal\WooCommerce\Core\Json;
use Lojal\WooCommerce\Core\OrderPayload;
use Lojal\WooCommerce\Core\Outbox;
use Lojal\WooCommerce\Core\Sender;
use Lojal\WooCommerce\Spend\CartHold;
use Lojal\WooCommerce\Spend\HoldKeeper;
use Lojal\WooCommerce\Spend\Redemptions;

[, $url, $key, $secret] = $argv;

$curl = require __DIR__ . '/curl.php';

/** The WooCommerce session, in memory (support.php). */
$session = new ArraySpendSession();

$client = new HttpClient($url, $key, $curl);
$redemptions = new Redemptions($client);
/** The redemption as the service has it (GET /v1/redemptions/{id}); the plugin itself never reads one back. */
$redemption = static fn(string $id): mixed => $client->json('GET', '/v1/redemptions/' . rawurlencode($id))['json'];
$keeper = static fn(): HoldKeeper => new HoldKeeper($session, $redemptions, time());
$outbox = new Outbox(new MemoryEventStore(), new RecordingScheduler());
$at = gmdate('Y-m-d\TH:i:s\Z');
$out = [];

// Customer 41, registered (customer.upserted, as the plugin sends it), with 1,000 points.
$customer = Events::customer(['id' => 41, 'email' => 'ola@example.com', 'first_name' => 'Ola', 'last_name' => 'Kowalska', 'locale' => 'pl_PL'], $at);
$outbox->queue($customer);
$out['customer'] = $outbox->run($customer['id'], new Sender($client, $secret))['result'];
$out['credit'] = $client->json('POST', '/v1/members/41/adjustments', ['points' => 1000, 'reason' => 'Contract test'])['status'];

// The cart: two mugs at 12.50 and a tee at 25.00, shipping 5.00: 55.00 to pay.
$lines = [['product' => 11, 'variation' => 0, 'quantity' => 2, 'price' => 1250], ['product' => 20, 'variation' => 23, 'quantity' => 1, 'price' => 2500]];
$fingerprint = CartHold::fingerprint($lines, 41, 'USD');
$out['quote'] = $keeper()->quote(41, 5500, 'USD');
$out['tooMany'] = $keeper()->apply(41, 5600, $fingerprint, 5500, 'USD');
$applied = $keeper()->apply(41, 500, $fingerprint, 5500, 'USD');
$hold = $applied['hold'];
$out['applied'] = ['ok' => $applied['ok'], 'points' => $hold['points'], 'amount' => $hold['amount'], 'expires' => $hold['expiresAt'] !== ''];
$out['holdId'] = $hold['id'];
$out['applies'] = $keeper()->current(41, $fingerprint) !== null;
$discount = CartHold::discount($hold['amount'], 5500);

// The order WooCommerce makes of that cart: the fee line and the order meta as the checkout writes them.
$order = [
	'id' => 501, 'number' => '501', 'status' => 'processing', 'currency' => 'USD', 'date_created_gmt' => time(),
	'customer_id' => 41, 'customer_email' => 'ola@example.com', 'customer_locale' => 'pl_PL',
	'billing' => ['email' => 'ola@example.com', 'first_name' => 'Ola', 'last_name' => 'Kowalska'],
	'line_items' => [
		['id' => 1, 'name' => 'Loyalty Mug', 'product_id' => 11, 'variation_id' => 0, 'quantity' => 2, 'subtotal' => '25.00', 'total' => '25.00', 'sku' => 'LJ-MUG', 'categories' => [15]],
		['id' => 2, 'name' => 'Loyalty Tee - Blue, L', 'product_id' => 20, 'variation_id' => 23, 'quantity' => 1, 'subtotal' => '25.00', 'total' => '25.00', 'sku' => 'LJ-TEE-BL', 'categories' => [17]],
	],
	'fee_lines' => [['id' => 3, 'name' => 'Loyalty points (500)', 'total' => CartHold::decimal(-$discount, 2), OrderPayload::REDEMPTION_FEE_META => $hold['id']]],
	'shipping_total' => '5.00', 'total_tax' => '0.00', 'total' => CartHold::decimal(5500 - $discount, 2),
	'refunds' => [],
	'lojal_redemption' => CartHold::orderMeta($hold, $discount),
];
$keeper()->handOver($hold['id']);
$out['handedOver'] = $session->data;
foreach (['paid', 'completed'] as $kind) {
	$event = Events::forStatus($order, $kind, $at);
	$out['pointsRedeemed'] ??= json_decode($event['body'], true)['data']['order']['pointsRedeemed'];
	$outbox->queue($event);
	$out['sent'][$kind] = $outbox->run($event['id'], new Sender($client, $secret))['result'];
}
$out['redemption'] = $redemption($hold['id']);

// Another cart, another hold; the cart changes (one more mug) and the hold is let go.
$other = CartHold::fingerprint([['product' => 11, 'variation' => 0, 'quantity' => 1, 'price' => 1250]], 41, 'USD');
$second = $keeper()->apply(41, 200, $other, 1750, 'USD')['hold'];
$out['heldBeforeChange'] = $client->json('GET', '/v1/members/41')['json']['balance'];
$changed = CartHold::fingerprint([['product' => 11, 'variation' => 0, 'quantity' => 2, 'price' => 1250]], 41, 'USD');
$out['appliesAfterChange'] = $keeper()->current(41, $changed) !== null;
$out['released'] = $redemption($second['id']);
$out['secondId'] = $second['id'];
$out['session'] = $session->data;

echo Json::encode($out);
