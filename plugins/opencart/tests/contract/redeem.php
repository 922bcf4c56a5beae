<?php
declare(strict_types=1);

// Contract check, run by tests/e2e/opencart-plugin.test.ts against the service in the test suite:
// php redeem.php URL API_KEY SECRET CUSTOMER_ID -> quotes, holds 500 points with the extension's client, then sends
// order 43 (the fixture's order, placed) carrying that hold as the total extension records it, quotes that checkout
// as the cart shows it and the order points as the success page shows them (an estimate: not awarded yet), completes
// the order and reads its points as the customer's order page shows them; prints the answers.

require __DIR__ . '/../bootstrap.php';

use Lojal\OpenCart\CartHold;
use Lojal\OpenCart\Delivery;
use Lojal\OpenCart\EarnQuote;
use Lojal\OpenCart\HttpClient;
use Lojal\OpenCart\OrderEvents;
use Lojal\OpenCart\OrderPoints;
use Lojal\OpenCart\OrderReader;
use Lojal\OpenCart\PayloadBuilder;
use Lojal\OpenCart\RedemptionStore;
use Lojal\OpenCart\Redemptions;
use Lojal\OpenCart\StatusMap;

[, $url, $key, $secret, $customerId] = $argv;
$client = new HttpClient($url, $key, 2000);
$redemptions = new Redemptions($client);
$quote = $redemptions->quote($customerId, 23780, 'USD');
$held = $redemptions->hold($customerId, 500, 'cart-43');
$hold = CartHold::fromAnswer($held['json'], (int)$customerId, 'fp');

$f = lojal_fixture('order-42.json');
$f['order'] = array_merge($f['order'], ['order_id' => '43', 'customer_id' => $customerId, 'order_status_id' => '1']);
$discount = CartHold::discount($hold['amount'], 247.8);
foreach ($f['totals'] as &$t) if ($t['code'] === 'lojal') $t = ['code' => 'lojal', 'title' => 'Loyalty points (' . $hold['points'] . ')', 'value' => (string)-$discount];
unset($t);
$f['order']['total'] = (string)(247.8 - $discount);
$db = new class {
	public function query(string $sql): object {
		return (object)['row' => str_contains($sql, 'decimal_place') ? ['decimal_place' => 2] : [], 'rows' => [], 'num_rows' => 0];
	}
	public function escape(string $v): string { return addslashes($v); }
};
$store = new class($hold) implements RedemptionStore {
	public function __construct(private array $hold) {}
	public function forOrder(int $orderId): ?array { return ['redemption_id' => $this->hold['id'], 'points' => $this->hold['points']]; }
};
$events = new OrderEvents(fn() => $f['order'], fn() => $f['products'], fn() => $f['totals'], new OrderReader($db, 'oc_', 'USD', 'UTC'), new StatusMap(['paid' => [2], 'completed' => [5], 'cancelled' => [7], 'refunded' => [11]]), $store);
$body = $events->body(43, 'order.placed');
$sent = (new Delivery($client, $secret))->send($body);
// What the checkout showed as "this order earns N points" (its totals so far, the points spent on it), then the
// order completed: the test compares the two.
$order = json_decode($body, true)['data']['order'];
$earn = new EarnQuote($client, static fn() => null, static function (): void {});
$checkoutQuote = $earn->forCart($order['lines'], $customerId, (new PayloadBuilder('USD', 2))->amounts($f['totals']));
$orderPoints = new OrderPoints($client);
$estimate = static fn(int $ms): ?int => $earn->forCart($order['lines'], $customerId, (new PayloadBuilder('USD', 2))->amounts($f['totals']), $ms);
$successPage = $orderPoints->forOrder('43', $estimate);
$completed = (new Delivery($client, $secret))->send($events->body(43, 'order.completed'));
$orderPage = $orderPoints->forOrder('43', $estimate);
echo json_encode(['quote' => $quote, 'hold' => $held, 'pointsRedeemed' => $order['pointsRedeemed'], 'sent' => $sent, 'checkoutQuote' => $checkoutQuote,
	'successPage' => $successPage, 'completed' => $completed, 'orderPage' => $orderPage]);
