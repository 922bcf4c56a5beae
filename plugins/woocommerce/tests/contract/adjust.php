<?php
declare(strict_types=1);

// Contract check, run by tests/e2e/woocommerce-plugin.test.ts against the service in the test suite:
// php adjust.php URL API_KEY SECRET CUSTOMER_ID
// The wp-admin points panel's plain-PHP parts with a cURL transport: the customer sent as CustomerHooks sends it
// (customer.upserted, signed), then adjustments as the panel's form sends them: +150 twice under one form key
// (a double click), the same key with other points, two clicks at the same moment under another key, an
// overdraw; then the panel built from the service's answers. Prints everything as JSON.

require __DIR__ . '/../bootstrap.php';
require __DIR__ . '/../admin-panel-stubs.php';

use Lojal\WooCommerce\AdminPanel\AdjustmentForm;
use Lojal\WooCommerce\AdminPanel\PanelModel;
use Lojal\WooCommerce\AdminPanel\Words;
use Lojal\WooCommerce\Core\Events;
use Lojal\WooCommerce\Core\HttpClient;
use Lojal\WooCommerce\Core\Json;
use Lojal\WooCommerce\Core\Sender;

[, $url, $key, $secret, $customerId] = $argv;
$by = 'Shop Admin';

$curl = require __DIR__ . '/curl.php';
$client = new HttpClient($url, $key, $curl);

/** Both requests of a double click on the wire at once (curl_multi), as two admin-ajax workers would send them. */
$twice = static function (array $request) use ($url, $key, $customerId, $by): array {
	$multi = curl_multi_init();
	$handles = [];
	foreach ([0, 1] as $i) {
		$ch = curl_init(rtrim($url, '/') . '/v1/members/' . rawurlencode($customerId) . '/adjustments');
		curl_setopt_array($ch, [CURLOPT_POST => true, CURLOPT_RETURNTRANSFER => true, CURLOPT_TIMEOUT_MS => 5000,
			CURLOPT_POSTFIELDS => Json::encode(AdjustmentForm::body($request, $by)),
			CURLOPT_HTTPHEADER => ['Authorization: Bearer ' . $key, 'Content-Type: application/json', 'Idempotency-Key: ' . $request['key']]]);
		curl_multi_add_handle($multi, $handles[$i] = $ch);
	}
	do {
		curl_multi_exec($multi, $running);
		if ($running) curl_multi_select($multi, 0.05);
	} while ($running);
	$answers = [];
	foreach ($handles as $ch) {
		$json = json_decode((string)curl_multi_getcontent($ch), true);
		$answers[] = AdjustmentForm::outcome((int)curl_getinfo($ch, CURLINFO_RESPONSE_CODE), is_array($json) ? $json : null, '');
		curl_multi_remove_handle($multi, $ch);
	}
	curl_multi_close($multi);
	return $answers;
};

$event = Events::customer(['id' => (int)$customerId, 'email' => 'ola@example.com', 'first_name' => 'Ola', 'last_name' => 'Kowalska', 'locale' => 'pl_PL'], gmdate('Y-m-d\TH:i:s\Z'));
$upsert = (new Sender($client, $secret))->send($event['body']);
$before = $client->json('GET', '/v1/members/' . $customerId);

$form = AdjustmentForm::validate(['points' => '150', 'reason' => 'Goodwill for a late parcel', 'idempotency_key' => AdjustmentForm::newKey()]);
$first = AdjustmentForm::send($client, $customerId, $form['request'], $by);
$again = AdjustmentForm::send($client, $customerId, $form['request'], $by);
$changed = AdjustmentForm::send($client, $customerId, ['points' => 151] + $form['request'], $by);

$racing = AdjustmentForm::validate(['points' => '25', 'reason' => 'Birthday gift', 'idempotency_key' => AdjustmentForm::newKey()]);
$together = $twice($racing['request']);

$over = AdjustmentForm::validate(['points' => '-100000', 'reason' => 'Too much', 'idempotency_key' => AdjustmentForm::newKey()]);
$overdraw = AdjustmentForm::send($client, $customerId, $over['request'], $by);

[$member, $activity] = PanelModel::fetch($client, $customerId, 1.5);
$panel = PanelModel::build($member, $activity, static fn(string $at): string => substr($at, 0, 10));
echo Json::encode(['upsert' => $upsert, 'before' => $before['json']['balance'] ?? null, 'first' => $first, 'again' => $again, 'changed' => $changed,
	'together' => $together, 'overdraw' => $overdraw + ['words' => Words::adjustment($overdraw, -100000)], 'panel' => $panel]);
