<?php
declare(strict_types=1);

use Lojal\WooCommerce\Core\ConnectionTest;
use Lojal\WooCommerce\Core\HttpClient;
use Lojal\WooCommerce\Core\Signer;
use PHPUnit\Framework\TestCase;

final class ConnectionTestTest extends TestCase {
	private const PROGRAM = '{"currency":"USD","pointsPerUnit":1,"awardOn":"completed"}';

	public function testTheKeyThenASignedEventTheServiceRefusesAfterCheckingItsSignature(): void {
		$transport = new FakeTransport([['status' => 200, 'body' => self::PROGRAM], ['status' => 422, 'body' => '{"code":"unsupported_event_type"}']]);
		$r = ConnectionTest::run(new HttpClient('http://lojal.test', 'k', $transport), 'sec', 1764000000);
		$this->assertSame(['ok' => true, 'step' => 'done', 'error' => ''], array_slice($r, 0, 3));
		$this->assertSame('USD', $r['program']['currency']);
		[$program, $event] = $transport->requests;
		$this->assertSame(['GET', 'http://lojal.test/v1/program'], [$program['method'], $program['url']]);
		$this->assertSame('connection.test', json_decode($event['body'], true)['type']);
		$this->assertSame(Signer::header('sec', $event['body'], 1764000000), $event['headers']['Lojal-Signature']);
	}

	public function testAWrongSecret(): void {
		$transport = new FakeTransport([['status' => 200, 'body' => self::PROGRAM], ['status' => 401, 'body' => '{"code":"signature_invalid","detail":"The signature does not match the body"}']]);
		$r = ConnectionTest::run(new HttpClient('http://lojal.test', 'k', $transport), 'sec', 1764000000);
		$this->assertSame(['ok' => false, 'step' => 'secret', 'error' => 'HTTP 401 signature_invalid: The signature does not match the body'], array_slice($r, 0, 3));
	}

	public function testAWrongKeyOrAnAbsentService(): void {
		$r = ConnectionTest::run(new HttpClient('http://lojal.test', 'k', new FakeTransport([['status' => 401, 'body' => '{"code":"unauthorized"}']])), 'sec', 1);
		$this->assertSame(['ok' => false, 'step' => 'program', 'error' => 'HTTP 401 unauthorized'], array_slice($r, 0, 3));
		$r = ConnectionTest::run(new HttpClient('http://lojal.test', 'k', new FakeTransport([['status' => 0, 'error' => 'cURL error 7']])), 'sec', 1);
		$this->assertSame(['ok' => false, 'step' => 'program', 'error' => 'cURL error 7'], array_slice($r, 0, 3));
	}

	public function testMissingSettings(): void {
		$this->assertSame('config', ConnectionTest::run(null, 'sec', 1)['step']);
		$this->assertSame('config', ConnectionTest::run(new HttpClient('http://x', 'k', new FakeTransport([])), ' ', 1)['step']);
	}
}
