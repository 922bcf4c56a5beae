<?php
declare(strict_types=1);

namespace Lojal\WooCommerce\Core;

/**
 * Sends one stored event body to POST /v1/events, signed at send time (the signature's clock must be within
 * 300 s of the service's, so a queued event is signed again on every attempt; its id and bytes never change).
 */
final class Sender {
	public const TIMEOUT_SECONDS = 5.0;
	/** @var callable():int */
	private $clock;

	public function __construct(private HttpClient $client, private string $webhookSecret, ?callable $clock = null) {
		$this->clock = $clock ?? static fn(): int => time();
	}

	/** @return array{delivered:bool, retryable:bool, status:int, error:string, outcome:string} outcome: applied, duplicate, ignored or '' */
	public function send(string $rawBody): array {
		$t = ($this->clock)();
		$r = $this->client->request('POST', '/v1/events', $rawBody, ['Lojal-Signature' => Signer::header($this->webhookSecret, $rawBody, $t)], self::TIMEOUT_SECONDS);
		$answer = json_decode($r['body'], true);
		$delivered = Backoff::isDelivered($r['status']);
		$error = '';
		if (!$delivered) $error = $r['status'] === 0 ? ($r['error'] !== '' ? $r['error'] : 'no answer') : HttpClient::describe($r['status'], $answer);
		return [
			'delivered' => $delivered,
			'retryable' => !$delivered && Backoff::isRetryable($r['status']),
			'status' => $r['status'],
			'error' => $error,
			'outcome' => $delivered && is_array($answer) ? (string)($answer['status'] ?? '') : '',
		];
	}
}
