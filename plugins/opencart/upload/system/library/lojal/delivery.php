<?php
declare(strict_types=1);

namespace Lojal\OpenCart;

/**
 * Sends one event: signs the exact body at send time (the signature's clock must be within 300 s of the service's,
 * so a queued event is signed again on every attempt; its id and body never change).
 */
interface Sender {
	/** @return array{delivered:bool, retryable:bool, status:int, error:string} */
	public function send(string $rawBody): array;
}

final class Delivery implements Sender {
	/** @var callable():int */
	private $clock;

	public function __construct(private HttpClient $client, private string $webhookSecret, ?callable $clock = null) {
		$this->clock = $clock ?? static fn(): int => time();
	}

	/** @return array{delivered:bool, retryable:bool, status:int, error:string} */
	public function send(string $rawBody): array {
		$t = ($this->clock)();
		$r = $this->client->request('POST', '/v1/events', $rawBody, ['Lojal-Signature' => Signer::header($this->webhookSecret, $rawBody, $t)]);
		$delivered = RetryPolicy::isDelivered($r['status']);
		$error = $r['error'];
		if (!$delivered && $error === '') {
			$problem = json_decode($r['body'], true);
			$error = 'HTTP ' . $r['status'] . (is_array($problem) && isset($problem['code']) ? ' ' . $problem['code'] . ': ' . ($problem['detail'] ?? '') : '');
		}
		return ['delivered' => $delivered, 'retryable' => !$delivered && RetryPolicy::isRetryable($r['status']), 'status' => $r['status'], 'error' => $error];
	}
}
