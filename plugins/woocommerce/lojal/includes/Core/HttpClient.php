<?php
declare(strict_types=1);

namespace Lojal\WooCommerce\Core;

/**
 * A small JSON client for the Lojal service. The transport is injected: in WordPress it is wp_remote_request
 * (WpTransport); the contract test gives it one over cURL. A transport answers status 0 when nothing answered.
 */
final class HttpClient {
	/** @var callable(string, string, array<string,string>, ?string, float): array{status:int, body:string, error:string} */
	private $transport;

	/**
	 * @param callable(string $method, string $url, array<string,string> $headers, ?string $body, float $timeoutSeconds): array{status:int, body:string, error:string} $transport
	 */
	public function __construct(private string $baseUrl, private string $apiKey, callable $transport, private float $timeoutSeconds = 5.0) {
		$this->transport = $transport;
	}

	/**
	 * @param array<string,string> $headers
	 * @return array{status:int, body:string, error:string}
	 */
	public function request(string $method, string $path, ?string $body = null, array $headers = [], ?float $timeoutSeconds = null): array {
		$headers = ['Authorization' => 'Bearer ' . $this->apiKey, 'Accept' => 'application/json'] + $headers;
		if ($body !== null && !isset($headers['Content-Type'])) $headers['Content-Type'] = 'application/json';
		$r = ($this->transport)($method, rtrim($this->baseUrl, '/') . $path, $headers, $body, $timeoutSeconds ?? $this->timeoutSeconds);
		return ['status' => (int)($r['status'] ?? 0), 'body' => (string)($r['body'] ?? ''), 'error' => (string)($r['error'] ?? '')];
	}

	/** @return array{status:int, json:mixed, error:string} the error names the HTTP status and the problem's code when not 2xx */
	public function json(string $method, string $path, ?array $payload = null, ?float $timeoutSeconds = null): array {
		$r = $this->request($method, $path, $payload === null ? null : Json::encode($payload), [], $timeoutSeconds);
		$json = $r['body'] === '' ? null : json_decode($r['body'], true);
		$error = $r['status'] === 0 ? ($r['error'] !== '' ? $r['error'] : 'no answer') : '';
		if ($r['status'] !== 0 && ($r['status'] < 200 || $r['status'] >= 300)) $error = self::describe($r['status'], $json);
		return ['status' => $r['status'], 'json' => $json, 'error' => $error];
	}

	/** "HTTP 401 signature_invalid: The signature does not match the body" from a problem+json answer. */
	public static function describe(int $status, mixed $problem): string {
		$text = 'HTTP ' . $status;
		if (is_array($problem) && isset($problem['code'])) $text .= ' ' . $problem['code'];
		if (is_array($problem) && isset($problem['detail'])) $text .= ': ' . $problem['detail'];
		return $text;
	}
}
