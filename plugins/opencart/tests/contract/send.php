<?php
declare(strict_types=1);

// Contract check, run by tests/e2e/opencart-plugin.test.ts against the service in the test suite:
// php send.php URL API_KEY SECRET -> builds the fixture order with the extension's library, sends it as
// order.completed through Delivery (signed), then the same bytes with a tampered body; prints both answers as JSON.

require __DIR__ . '/../bootstrap.php';

use Lojal\OpenCart\Delivery;
use Lojal\OpenCart\EventIds;
use Lojal\OpenCart\HttpClient;
use Lojal\OpenCart\Json;
use Lojal\OpenCart\PayloadBuilder;
use Lojal\OpenCart\Signer;

[, $url, $key, $secret] = $argv;
$f = lojal_fixture('order-42.json');
unset($f['extra']['pointsRedeemed']);
$f['totals'] = array_values(array_filter($f['totals'], static fn(array $t): bool => $t['code'] !== 'lojal'));
$f['order']['total'] = '247.8000';
$order = (new PayloadBuilder('USD', 2, 'Europe/Warsaw'))->order($f['order'], $f['products'], $f['totals'], $f['extra']);
$id = EventIds::order('42', 'order.completed');
$body = Json::encode(PayloadBuilder::envelope($id, 'order.completed', gmdate('Y-m-d\TH:i:s\Z'), ['order' => $order]));
$client = new HttpClient($url, $key, 2000);
$first = (new Delivery($client, $secret))->send($body);
$again = (new Delivery($client, $secret))->send($body);
$tampered = $client->request('POST', '/v1/events', str_replace('"quantity":2', '"quantity":20', $body), ['Lojal-Signature' => Signer::header($secret, $body, time())]);
echo Json::encode(['first' => $first, 'again' => $again, 'tampered' => ['status' => $tampered['status'], 'body' => json_decode($tampered['body'], true)]]);
