<?php
declare(strict_types=1);

use Lojal\OpenCart\EventIds;
use Lojal\OpenCart\Json;
use Lojal\OpenCart\PayloadBuilder;
use PHPUnit\Framework\TestCase;

final class PayloadBuilderTest extends TestCase {
	private function build(array $f, string $currency = 'USD', int $decimals = 2): array {
		return (new PayloadBuilder($currency, $decimals, 'Europe/Warsaw'))->order($f['order'], $f['products'], $f['totals'], $f['extra']);
	}

	public function testOrderMatchesTheGoldenPayload(): void {
		$this->assertSame(lojal_fixture('order-42.golden.json'), $this->build(lojal_fixture('order-42.json')));
	}

	public function testAVoucherIsPaymentNotDiscountAndCouponsAndRewardsAreDiscount(): void {
		$f = lojal_fixture('order-42.json');
		$f['totals'][] = ['code' => 'reward', 'title' => 'Reward points', 'value' => '-3.0000'];
		$this->assertSame(2520, $this->build($f)['discount']);
	}

	public function testAGuestHasANullIdAndAnUnverifiedEmail(): void {
		$f = lojal_fixture('order-42.json');
		$f['order']['customer_id'] = '0';
		$customer = $this->build($f)['customer'];
		$this->assertNull($customer['id']);
		$this->assertSame('ana@example.com', $customer['email']);
		$this->assertFalse($customer['emailVerified']);
	}

	public function testACurrencyWithoutDecimalsUsesWholeUnits(): void {
		$order = $this->build(lojal_fixture('order-42.json'), 'JPY', 0);
		$this->assertSame('JPY', $order['currency']);
		$this->assertSame(101, $order['lines'][0]['unitPrice']);
		$this->assertSame(238, $order['total']);
	}

	public function testNoPointsRedeemedGivesNull(): void {
		$f = lojal_fixture('order-42.json');
		unset($f['extra']['pointsRedeemed']);
		$this->assertNull($this->build($f)['pointsRedeemed']);
	}

	public function testAnInvoiceNumberIsTheOrderNumber(): void {
		$f = lojal_fixture('order-42.json');
		$f['order']['invoice_no'] = '7';
		$this->assertSame('INV-2026-007', $this->build($f)['number']);
	}

	public function testAReturnRefundsTheReturnedQuantityOfItsLine(): void {
		$order = $this->build(lojal_fixture('order-42.json'));
		$refund = (new PayloadBuilder('USD'))->refundForReturn($order, ['return_id' => '9', 'product_id' => '40', 'quantity' => '1', 'reason' => 'Faulty']);
		$this->assertSame(['id' => 'return-9', 'amount' => 10100, 'lines' => [['lineId' => '101', 'quantity' => 1, 'amount' => 10100]], 'reason' => 'Faulty'], $refund);
	}

	public function testAReturnCannotRefundMoreThanTheLineHolds(): void {
		$order = $this->build(lojal_fixture('order-42.json'));
		$refund = (new PayloadBuilder('USD'))->refundForReturn($order, ['return_id' => '9', 'product_id' => '40', 'quantity' => '5']);
		$this->assertSame(2, $refund['lines'][0]['quantity']);
	}

	public function testAReturnOfAProductNotInTheOrderIsRefused(): void {
		$this->expectException(InvalidArgumentException::class);
		(new PayloadBuilder('USD'))->refundForReturn($this->build(lojal_fixture('order-42.json')), ['return_id' => '9', 'product_id' => '1', 'quantity' => '1']);
	}

	public function testTheEnvelopeIsEncodedWithoutEscapedSlashesOrUnicode(): void {
		$json = Json::encode(PayloadBuilder::envelope('e/1', 'order.paid', '2026-11-20T10:00:00Z', ['order' => ['name' => 'Łódź']]));
		$this->assertSame('{"id":"e/1","type":"order.paid","occurredAt":"2026-11-20T10:00:00Z","data":{"order":{"name":"Łódź"}}}', $json);
	}

	public function testEventIdsAreStablePerTransition(): void {
		$this->assertSame(EventIds::order('42', 'order.completed'), EventIds::order('42', 'order.completed'));
		$this->assertNotSame(EventIds::order('42', 'order.completed'), EventIds::order('42', 'order.paid'));
		$this->assertNotSame(EventIds::order('42', 'order.completed'), EventIds::order('43', 'order.completed'));
		$this->assertSame('opencart:return:9:refunded', EventIds::returned('9'));
		$a = EventIds::customer('7', ['email' => 'a@example.com']);
		$this->assertSame($a, EventIds::customer('7', ['email' => 'a@example.com']));
		$this->assertNotSame($a, EventIds::customer('7', ['email' => 'b@example.com']));
	}
}
