<?php
declare(strict_types=1);

namespace Lojal\OpenCart;

/** A small JSON client over cURL with hard timeouts, so a slow or absent service never holds a page. */
class HttpClient {
	public function __construct(private string $baseUrl, private string $apiKey, private int $timeoutMs = 2000) {}

	/**
	 * @param array<string,string> $headers
	 * @return array{status:int, body:string, error:string}
	 */
	public function request(string $method, string $path, ?string $body = null, array $headers = [], ?int $timeoutMs = null): array {
		$ms = $timeoutMs ?? $this->timeoutMs;
		$list = ['Authorization: Bearer ' . $this->apiKey, 'Accept: application/json'];
		if ($body !== null && !isset($headers['Content-Type'])) $list[] = 'Content-Type: application/json';
		foreach ($headers as $name => $value) $list[] = $name . ': ' . $value;
		$ch = curl_init(rtrim($this->baseUrl, '/') . $path);
		curl_setopt_array($ch, [
			CURLOPT_CUSTOMREQUEST => $method,
			CURLOPT_RETURNTRANSFER => true,
			CURLOPT_HTTPHEADER => $list,
			CURLOPT_CONNECTTIMEOUT_MS => min($ms, 1000),
			CURLOPT_TIMEOUT_MS => $ms,
			CURLOPT_NOSIGNAL => true,
		]);
		if ($body !== null) curl_setopt($ch, CURLOPT_POSTFIELDS, $body);
		$answer = curl_exec($ch);
		$status = (int)curl_getinfo($ch, CURLINFO_RESPONSE_CODE);
		$error = $answer === false ? curl_error($ch) : '';
		curl_close($ch);
		return ['status' => $answer === false ? 0 : $status, 'body' => $answer === false ? '' : (string)$answer, 'error' => $error];
	}

	/** @return array{status:int, json:mixed, error:string} */
	public function json(string $method, string $path, ?array $payload = null, ?int $timeoutMs = null): array {
		$r = $this->request($method, $path, $payload === null ? null : Json::encode($payload), [], $timeoutMs);
		$json = $r['body'] === '' ? null : json_decode($r['body'], true);
		$error = $r['error'];
		if ($error === '' && ($r['status'] < 200 || $r['status'] >= 300)) {
			$error = 'HTTP ' . $r['status'] . (is_array($json) && isset($json['detail']) ? ': ' . $json['detail'] : '');
		}
		return ['status' => $r['status'], 'json' => $json, 'error' => $error];
	}
}
