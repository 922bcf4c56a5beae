<?php
declare(strict_types=1);

use Lojal\WooCommerce\Core\HttpClient;
use Lojal\WooCommerce\Core\PointsImport;
use PHPUnit\Framework\TestCase;

final class PointsImportTest extends TestCase {
	public function testOneLinePerCustomerWithAReferenceFixedPerSourceAndCustomer(): void {
		$rows = [
			['user_id' => '7', 'email' => 'ana@example.com', 'points' => '120'],
			['user_id' => 8, 'email' => 'broken', 'points' => 40],
			['user_id' => 9, 'email' => 'zero@example.com', 'points' => '0'],
			['user_id' => 10, 'email' => 'neg@example.com', 'points' => '-5'],
		];
		$this->assertSame(
			'{"customerId":"7","email":"ana@example.com","points":120,"reference":"woocommerce-wc-points-rewards:7"}' . "\n"
			. '{"customerId":"8","email":null,"points":40,"reference":"woocommerce-wc-points-rewards:8"}' . "\n",
			PointsImport::ndjson('wc_points_rewards', $rows),
		);
		$this->assertSame('woocommerce-yith-points:7', PointsImport::reference('yith_points', '7'));
		$this->assertSame('', PointsImport::ndjson('yith_points', []));
	}

	public function testProgressOverBatches(): void {
		$this->assertSame(['done' => 100, 'total' => 250, 'percent' => 40, 'next' => 100], PointsImport::progress(0, 100, 250));
		$this->assertSame(['done' => 250, 'total' => 250, 'percent' => 100, 'next' => null], PointsImport::progress(200, 100, 250));
		$this->assertSame(['done' => 0, 'total' => 0, 'percent' => 100, 'next' => null], PointsImport::progress(0, 100, 0));
	}

	public function testABatchIsPostedAsNdjsonAndItsAnswerRead(): void {
		$transport = new FakeTransport([['status' => 200, 'body' => '{"applied":1,"duplicates":2,"errors":[]}'], ['status' => 401, 'body' => '{"code":"unauthorized","detail":"Unknown key"}']]);
		$client = new HttpClient('http://lojal.test', 'k', $transport);
		$this->assertSame(['ok' => true, 'applied' => 1, 'duplicates' => 2, 'errors' => [], 'error' => ''], PointsImport::send($client, "{}\n"));
		$this->assertSame('application/x-ndjson', $transport->requests[0]['headers']['Content-Type']);
		$this->assertSame('http://lojal.test/v1/imports', $transport->requests[0]['url']);
		$this->assertSame('HTTP 401 unauthorized: Unknown key', PointsImport::send($client, "{}\n")['error']);
	}
}
