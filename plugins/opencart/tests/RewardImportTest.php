<?php
declare(strict_types=1);

use Lojal\OpenCart\RewardImport;
use PHPUnit\Framework\TestCase;

final class RewardImportTest extends TestCase {
	public function testEachPositiveBalanceIsOneLineWithAReferenceFixedPerCustomer(): void {
		$ndjson = RewardImport::ndjson([
			['customer_id' => '7', 'email' => 'ana@example.com', 'points' => '150'],
			['customer_id' => '8', 'email' => 'bo@example.com', 'points' => '0'],
			['customer_id' => '9', 'email' => 'cy@example.com', 'points' => '-5'],
		]);
		$this->assertSame('{"customerId":"7","email":"ana@example.com","points":150,"reference":"opencart-reward:7"}' . "\n", $ndjson);
		$this->assertSame($ndjson, RewardImport::ndjson([['customer_id' => 7, 'email' => 'ana@example.com', 'points' => 150]]), 'the same balance gives the same bytes');
		$this->assertSame('', RewardImport::ndjson([]));
	}

	public function testAnAccountWithoutAUsableAddressIsImportedWithoutOne(): void {
		$ndjson = RewardImport::ndjson([['customer_id' => '5', 'email' => '', 'points' => 10], ['customer_id' => '6', 'email' => 'not an address', 'points' => 20]]);
		$this->assertSame(
			'{"customerId":"5","email":null,"points":10,"reference":"opencart-reward:5"}' . "\n" . '{"customerId":"6","email":null,"points":20,"reference":"opencart-reward:6"}' . "\n",
			$ndjson,
		);
	}

	public function testProgressThroughBatches(): void {
		$this->assertSame(['done' => 100, 'total' => 250, 'percent' => 40, 'next' => 100], RewardImport::progress(0, 100, 250));
		$this->assertSame(['done' => 250, 'total' => 250, 'percent' => 100, 'next' => null], RewardImport::progress(200, 100, 250));
		$this->assertSame(['done' => 0, 'total' => 0, 'percent' => 100, 'next' => null], RewardImport::progress(0, 100, 0));
	}
}
