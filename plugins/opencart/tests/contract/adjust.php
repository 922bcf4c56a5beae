<?php
declare(strict_types=1);

// Contract check, run by tests/e2e/opencart-plugin.test.ts against the service in the test suite:
// php adjust.php URL API_KEY SECRET CUSTOMER_ID -> sends the customer as the admin's save does (CustomerEvent,
// signed), then adjusts their points as the admin panel does: +150 twice under one form key, the same key with
// other points, an overdraw; then builds the panel from the service's answers (en-gb); prints everything as JSON.

require __DIR__ . '/../bootstrap.php';

use Lojal\OpenCart\Adjustment;
use Lojal\OpenCart\CustomerEvent;
use Lojal\OpenCart\Delivery;
use Lojal\OpenCart\HttpClient;
use Lojal\OpenCart\Json;
use Lojal\OpenCart\MemberPanel;
use Lojal\OpenCart\PayloadBuilder;

[, $url, $key, $secret, $customerId] = $argv;
$client = new HttpClient($url, $key, 5000);
$_ = ['thousand_point' => ','];
require __DIR__ . '/../../upload/admin/language/en-gb/customer/points.php';
$text = static fn(string $k): string => $_[$k] ?? $k;

$row = ['customer_id' => $customerId, 'email' => 'ola@example.com', 'firstname' => 'Ola', 'lastname' => 'Kowalska', 'newsletter' => '1', 'language_id' => '2'];
$event = CustomerEvent::upserted(new PayloadBuilder('USD'), $row, 'pl-pl', gmdate('Y-m-d\TH:i:s\Z'));
$upsert = (new Delivery($client, $secret))->send($event['body']);
$before = $client->json('GET', '/v1/members/' . $customerId);

$form = Adjustment::validate(['points' => '150', 'reason' => 'goodwill', 'idempotency_key' => Adjustment::newKey()]);
$first = Adjustment::send($client, $customerId, $form['request'], 'admin');
$again = Adjustment::send($client, $customerId, $form['request'], 'admin');
$changed = Adjustment::send($client, $customerId, ['points' => 151] + $form['request'], 'admin');
$over = Adjustment::validate(['points' => '-100000', 'reason' => 'too much', 'idempotency_key' => Adjustment::newKey()]);
$overdraw = Adjustment::send($client, $customerId, $over['request'], 'admin');

$member = $client->json('GET', '/v1/members/' . $customerId);
$activity = $client->json('GET', '/v1/members/' . $customerId . '/activity?limit=' . MemberPanel::ACTIVITY_LIMIT);
$panel = MemberPanel::build($member, $activity, $text, 'en-gb', static fn(string $at): string => substr($at, 0, 10));
echo Json::encode(['upsert' => $upsert, 'before' => $before['json']['balance'] ?? null, 'first' => $first, 'again' => $again,
	'changed' => $changed, 'overdraw' => $overdraw + ['words' => $text($overdraw['message'])], 'panel' => $panel]);
