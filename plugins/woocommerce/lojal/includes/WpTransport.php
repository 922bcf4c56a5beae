<?php
declare(strict_types=1);

namespace Lojal\WooCommerce;

/**
 * Core\HttpClient's transport in WordPress: wp_remote_request, no redirects, a hard timeout. WordPress's cURL
 * transport (Requests) raises every timeout to at least 1 s, so a page would wait a second for a service that does
 * not answer; the cURL handle gets the limit in milliseconds (and no signals, which cURL needs for limits under a
 * second) just before it is sent, through WordPress's http_api_curl action.
 */
final class WpTransport {
	private const ARG = 'lojal_timeout_ms';
	private static bool $hooked = false;

	/** @return array{status:int, body:string, error:string} */
	public function __invoke(string $method, string $url, array $headers, ?string $body, float $timeoutSeconds): array {
		if (!self::$hooked && function_exists('add_action')) {
			add_action('http_api_curl', [self::class, 'limit'], 10, 2);
			self::$hooked = true;
		}
		$args = [
			'method' => $method,
			'headers' => $headers,
			'timeout' => $timeoutSeconds,
			'redirection' => 0,
			'user-agent' => 'Lojal-WooCommerce/' . (defined('LOJAL_VERSION') ? LOJAL_VERSION : 'dev') . '; ' . home_url('/'),
			self::ARG => (int)round($timeoutSeconds * 1000),
		];
		if ($body !== null) $args['body'] = $body;
		$response = wp_remote_request($url, $args);
		if (is_wp_error($response)) return ['status' => 0, 'body' => '', 'error' => $response->get_error_message()];
		return ['status' => (int)wp_remote_retrieve_response_code($response), 'body' => (string)wp_remote_retrieve_body($response), 'error' => ''];
	}

	/** @param \CurlHandle|resource $handle */
	public static function limit(mixed $handle, array $args): void {
		$ms = (int)($args[self::ARG] ?? 0);
		if ($ms <= 0 || !function_exists('curl_setopt')) return;
		curl_setopt($handle, CURLOPT_NOSIGNAL, true);
		curl_setopt($handle, CURLOPT_CONNECTTIMEOUT_MS, $ms);
		curl_setopt($handle, CURLOPT_TIMEOUT_MS, $ms);
	}
}
