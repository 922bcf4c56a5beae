<?php
declare(strict_types=1);

use Lojal\WooCommerce\WpTransport;
use PHPUnit\Framework\TestCase;

final class WpTransportTest extends TestCase {
	public function testACurlHandleIsHeldToItsLimitInMillisecondsNotWordPresssSecond(): void {
		if (!function_exists('curl_init')) $this->markTestSkipped('php-curl');
		// A server that takes the connection and never answers.
		$server = stream_socket_server('tcp://127.0.0.1:0');
		$port = (int)substr(strrchr(stream_socket_get_name($server, false), ':'), 1);
		$ch = curl_init('http://127.0.0.1:' . $port . '/v1/earning/quote');
		curl_setopt_array($ch, [CURLOPT_RETURNTRANSFER => true, CURLOPT_TIMEOUT => 2]);
		// What WordPress's Requests sets: at least one second (here two, so a missing limit shows).
		WpTransport::limit($ch, ['lojal_timeout_ms' => 200]);
		$started = hrtime(true);
		$this->assertFalse(curl_exec($ch));
		$elapsedMs = intdiv(hrtime(true) - $started, 1_000_000);
		$this->assertSame(CURLE_OPERATION_TIMEDOUT, curl_errno($ch));
		$this->assertLessThan(900, $elapsedMs);
		$this->assertGreaterThanOrEqual(150, $elapsedMs);
		fclose($server);
	}

	public function testOtherRequestsAreLeftAlone(): void {
		if (!function_exists('curl_init')) $this->markTestSkipped('php-curl');
		$server = stream_socket_server('tcp://127.0.0.1:0');
		$port = (int)substr(strrchr(stream_socket_get_name($server, false), ':'), 1);
		$ch = curl_init('http://127.0.0.1:' . $port . '/');
		curl_setopt_array($ch, [CURLOPT_RETURNTRANSFER => true, CURLOPT_TIMEOUT_MS => 1000]);
		WpTransport::limit($ch, ['timeout' => 0.3]);
		$started = hrtime(true);
		curl_exec($ch);
		$this->assertGreaterThanOrEqual(900, intdiv(hrtime(true) - $started, 1_000_000));
		fclose($server);
	}

	public function testEveryRequestCarriesItsLimitInMilliseconds(): void {
		// The storefront's, spending's (300 ms) and the sender's (5 s) clients all go through WpTransport.
		WpStub::reset();
		(new WpTransport())('POST', 'http://service.test/v1/redemptions/quote', [], '{}', 0.3);
		(new WpTransport())('POST', 'http://service.test/v1/events', [], '{}', 5.0);
		$this->assertSame([300, 5000], array_map(static fn(array $r): int => $r['args']['lojal_timeout_ms'], WpStub::$requests));
	}
}
