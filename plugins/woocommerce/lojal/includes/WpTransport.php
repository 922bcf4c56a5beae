<?php
declare(strict_types=1);

namespace Lojal\WooCommerce;

/** Core\HttpClient's transport in WordPress: wp_remote_request, no redirects, a hard timeout. */
final class WpTransport {
	/** @return array{status:int, body:string, error:string} */
	public function __invoke(string $method, string $url, array $headers, ?string $body, float $timeoutSeconds): array {
		$args = [
			'method' => $method,
			'headers' => $headers,
			'timeout' => $timeoutSeconds,
			'redirection' => 0,
			'user-agent' => 'Lojal-WooCommerce/' . (defined('LOJAL_VERSION') ? LOJAL_VERSION : 'dev') . '; ' . home_url('/'),
		];
		if ($body !== null) $args['body'] = $body;
		$response = wp_remote_request($url, $args);
		if (is_wp_error($response)) return ['status' => 0, 'body' => '', 'error' => $response->get_error_message()];
		return ['status' => (int)wp_remote_retrieve_response_code($response), 'body' => (string)wp_remote_retrieve_body($response), 'error' => ''];
	}
}
