<?php
declare(strict_types=1);

// Contract check, run by tests/e2e/opencart-plugin.test.ts against the service in the test suite:
// php import.php URL API_KEY -> sends reward balances as the admin's "Import existing reward points" batch does
// (RewardImport's NDJSON to POST /v1/imports), twice; prints both answers as JSON.

require __DIR__ . '/../bootstrap.php';

use Lojal\OpenCart\HttpClient;
use Lojal\OpenCart\Json;
use Lojal\OpenCart\RewardImport;

[, $url, $key] = $argv;
$rows = [
	['customer_id' => '7', 'email' => 'ana@example.com', 'points' => '150'],
	['customer_id' => '8', 'email' => '', 'points' => '40'],
	['customer_id' => '9', 'email' => 'cy@example.com', 'points' => '0'],
];
$client = new HttpClient($url, $key, 10000);
$send = static fn(): array => $client->request('POST', '/v1/imports', RewardImport::ndjson($rows), ['Content-Type' => 'application/x-ndjson']);
$first = $send();
$again = $send();
echo Json::encode(['first' => ['status' => $first['status'], 'body' => json_decode($first['body'], true)], 'again' => ['status' => $again['status'], 'body' => json_decode($again['body'], true)]]);
