<?php
declare(strict_types=1);

// Contract check, run by tests/e2e/woocommerce-plugin.test.ts against the service in the test suite:
// php send.php URL USD_KEY USD_SECRET JPY_KEY JPY_SECRET
// The plugin's core (the same classes the WordPress plugin runs) with a cURL transport in place of
// wp_remote_request: events built from the WC-shaped fixtures go through the outbox and its sender; then a
// duplicate, a tampered body, the connection test and a points import. Prints every answer as JSON.

require __DIR__ . '/../bootstrap.php';

use Lojal\WooCommerce\Core\ConnectionTest;
use Lojal\WooCommerce\Core\Events;
use Lojal\WooCommerce\Core\HttpClient;
use Lojal\WooCommerce\Core\Json;
use Lojal\WooCommerce\Core\Outbox;
use Lojal\WooCommerce\Core\PointsImport;
use Lojal\WooCommerce\Core\Sender;
use Lojal\WooCommerce\Core\Signer;

[, $url, $usdKey, $usdSecret, $jpyKey, $jpySecret] = $argv;

$curl = require __DIR__ . '/curl.php';

$usd = new HttpClient($url, $usdKey, $curl);
$jpy = new HttpClient($url, $jpyKey, $curl);
$store = new MemoryEventStore();
$outbox = new Outbox($store, new RecordingScheduler());
$at = gmdate('Y-m-d\TH:i:s\Z');
$out = [];

// Order 101 (a customer, a coupon on both lines, a variation, fees, shipping, tax): paid, completed, then one mug refunded.
$order = lojal_fixture('order-101.json');
$events = [Events::forStatus($order, 'paid', $at), Events::forStatus($order, 'completed', $at), Events::forRefund($order, lojal_fixture('refund-201.json'), $at)];
foreach ($events as $event) {
	$outbox->queue($event);
	$out['sent'][$event['id']] = $outbox->run($event['id'], new Sender($usd, $usdSecret))['result'];
}
// A retry of a delivered event (the same id and bytes) is a duplicate at the service, success for the plugin.
$out['left'] = count($store->rows);
$again = $events[1];
$out['againQueued'] = $outbox->queue($again);
$out['againRun'] = $outbox->run($again['id'], new Sender($usd, $usdSecret))['result'];
$out['again'] = (new Sender($usd, $usdSecret))->send($again['body']);

// The same bytes altered after signing.
$tampered = str_replace('"quantity":2', '"quantity":20', $events[1]['body']);
$r = $usd->request('POST', '/v1/events', $tampered, ['Lojal-Signature' => Signer::header($usdSecret, $events[1]['body'], time())]);
$out['tampered'] = ['status' => $r['status'], 'body' => json_decode($r['body'], true)];

// A guest's order in yen (no minor digits), then the guest registers with that e-mail.
$guest = lojal_fixture('order-102-jpy.json');
foreach ([Events::forStatus($guest, 'completed', $at), Events::customer(['id' => 9, 'email' => 'kenji@example.com', 'first_name' => 'Kenji', 'last_name' => 'Sato', 'locale' => 'ja'], $at)] as $event) {
	$outbox->queue($event);
	$out['guest'][$event['type']] = $outbox->run($event['id'], new Sender($jpy, $jpySecret))['result'];
}

// Test connection: the right secret, then a wrong one.
$out['connection'] = ConnectionTest::run($usd, $usdSecret, time());
$out['wrongSecret'] = ConnectionTest::run($usd, 'lj_whsec_wrong', time());

// Import existing points: the same batch twice.
$rows = [['user_id' => 7, 'email' => 'ana@example.com', 'points' => '120'], ['user_id' => 31, 'email' => '', 'points' => 40]];
$out['importFirst'] = PointsImport::send($usd, PointsImport::ndjson('wc_points_rewards', $rows));
$out['importAgain'] = PointsImport::send($usd, PointsImport::ndjson('wc_points_rewards', $rows));

echo Json::encode($out);
