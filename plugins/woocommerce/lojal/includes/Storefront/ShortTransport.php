<?php
declare(strict_types=1);

namespace Lojal\WooCommerce\Storefront;

use Lojal\WooCommerce\WpTransport;

/**
 * The storefront's transport: wp_remote_request as WpTransport makes it, with its time limit kept below a second.
 * WordPress's cURL transport (Requests) raises every timeout to at least 1 s, so a page would wait up to a second
 * for a service that does not answer; here the cURL handle gets the limit in milliseconds (and no signals, which
 * cURL needs for limits under a second) just before it is sent, through WordPress's http_api_curl action.
 */
final class ShortTransport {
	private const ARG = 'lojal_timeout_ms';
	private static bool $hooked = false;

	/** @return array{status:int, body:string, error:string} */
	public function __invoke(string $method, string $url, array $headers, ?string $body, float $timeoutSeconds): array {
		if (!self::$hooked) {
			add_action('http_api_curl', [self::class, 'limit'], 10, 2);
			self::$hooked = true;
		}
		add_filter('http_request_args', $mark = static fn(array $args): array => $args + [self::ARG => (int)round($timeoutSeconds * 1000)]);
		try {
			return (new WpTransport())($method, $url, $headers, $body, $timeoutSeconds);
		} finally {
			remove_filter('http_request_args', $mark);
		}
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
