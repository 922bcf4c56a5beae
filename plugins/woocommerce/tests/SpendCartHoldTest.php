<?php
declare(strict_types=1);

use Lojal\WooCommerce\Core\OrderPayload;
use Lojal\WooCommerce\Spend\CartHold;
use PHPUnit\Framework\TestCase;

final class SpendCartHoldTest extends TestCase {
	private const LINES = [
		['product' => 11, 'variation' => 0, 'quantity' => 2, 'price' => 1250],
		['product' => 20, 'variation' => 23, 'quantity' => 1, 'price' => 2500],
	];

	public function testTheFingerprintIsTheSameCartInAnyOrder(): void {
		$this->assertSame(CartHold::fingerprint(self::LINES, 7, 'USD'), CartHold::fingerprint(array_reverse(self::LINES), 7, 'usd'));
		$this->assertMatchesRegularExpression('/^[0-9a-f]{64}$/', CartHold::fingerprint(self::LINES, 7, 'USD'));
	}

	public function testAnyChangeToTheCartGivesAnotherFingerprint(): void {
		$base = CartHold::fingerprint(self::LINES, 7, 'USD');
		$changed = [
			'quantity' => [['quantity' => 3] + self::LINES[0], self::LINES[1]],
			'price' => [['price' => 1200] + self::LINES[0], self::LINES[1]],
			'variation' => [self::LINES[0], ['variation' => 24] + self::LINES[1]],
			'product' => [['product' => 12] + self::LINES[0], self::LINES[1]],
			'a line removed' => [self::LINES[0]],
			'a line added' => [...self::LINES, ['product' => 30, 'variation' => 0, 'quantity' => 1, 'price' => 400]],
		];
		foreach ($changed as $what => $lines) $this->assertNotSame($base, CartHold::fingerprint($lines, 7, 'USD'), $what);
		$this->assertNotSame($base, CartHold::fingerprint(self::LINES, 8, 'USD'), 'another customer');
		$this->assertNotSame($base, CartHold::fingerprint(self::LINES, 7, 'EUR'), 'another currency');
	}

	public function testTheDiscountIsTheHoldsAmountNeverMoreThanWhatIsLeftToPay(): void {
		$this->assertSame(500, CartHold::discount(500, 5500));
		$this->assertSame(1999, CartHold::discount(2500, 1999));
		$this->assertSame(0, CartHold::discount(500, 0));
		$this->assertSame(0, CartHold::discount(500, -300));
		$this->assertSame(0, CartHold::discount(-5, 1000));
	}

	private function hold(string $expiresAt = '2026-11-20T10:30:00Z'): array {
		return CartHold::fromAnswer(['id' => 'red_01', 'status' => 'held', 'points' => 500, 'amount' => 500, 'expiresAt' => $expiresAt], 7, 'fp');
	}

	public function testTheSessionKeepsTheServicesHoldWithTheCustomerAndTheCart(): void {
		$this->assertSame(['id' => 'red_01', 'points' => 500, 'amount' => 500, 'expiresAt' => '2026-11-20T10:30:00Z', 'customerId' => 7, 'fingerprint' => 'fp'], $this->hold());
		$this->assertNull(CartHold::fromAnswer(['status' => 'held'], 7, 'fp'));
		$this->assertNull(CartHold::fromAnswer(['id' => 'red_01', 'points' => '500', 'amount' => 500], 7, 'fp'), 'points as text is not the service');
		$this->assertNull(CartHold::fromAnswer(null, 7, 'fp'));
	}

	public function testAHoldAppliesToItsCustomersUnchangedCartUntilItExpires(): void {
		$now = strtotime('2026-11-20T10:00:00Z');
		$this->assertTrue(CartHold::applies($this->hold(), 7, 'fp', $now));
		$this->assertFalse(CartHold::applies($this->hold(), 7, 'another cart', $now), 'the cart changed');
		$this->assertFalse(CartHold::applies($this->hold(), 8, 'fp', $now), 'another customer');
		$this->assertFalse(CartHold::applies($this->hold(), 0, 'fp', $now), 'a guest');
		$this->assertFalse(CartHold::applies($this->hold(), 7, 'fp', strtotime('2026-11-20T10:30:00Z')), 'expired');
		$this->assertTrue(CartHold::applies($this->hold(''), 7, 'fp', $now), 'no expiry given: the service expires it');
		$this->assertFalse(CartHold::applies(null, 7, 'fp', $now));
		$this->assertFalse(CartHold::applies(['fingerprint' => 'fp', 'customerId' => 7], 7, 'fp', $now), 'no id');
	}

	public function testTheOrderMetaIsWhatOrderPayloadSendsAsPointsRedeemed(): void {
		$meta = CartHold::orderMeta($this->hold(), 450);
		$this->assertSame(['redemptionId' => 'red_01', 'points' => 500, 'amount' => 450], $meta);
		$order = lojal_fixture('order-101.json');
		$order['lojal_redemption'] = $meta;
		$order['fee_lines'] = [['id' => 16, 'name' => 'Loyalty points (500)', 'total' => '-4.50', OrderPayload::REDEMPTION_FEE_META => 'red_01']];
		$payload = OrderPayload::forCurrency('USD')->order($order);
		$this->assertSame(['redemptionId' => 'red_01', 'points' => 500, 'amount' => 450], $payload['pointsRedeemed']);
		$this->assertSame(0, $payload['discount'], 'the points are not an order discount');
		$this->assertSame(0, $payload['fees']);
	}

	public function testTheFeeIdNamesTheHold(): void {
		$this->assertSame('lojal_points_red_01', CartHold::feeId($this->hold()));
		$this->assertSame('lojal_points_red01', CartHold::feeId(['id' => 'red-01"<']));
	}

	public function testMinorUnitsAsWooCommerceDecimalText(): void {
		$this->assertSame('-5.00', CartHold::decimal(-500, 2));
		$this->assertSame('0.07', CartHold::decimal(7, 2));
		$this->assertSame('-0.05', CartHold::decimal(-5, 2));
		$this->assertSame('1234', CartHold::decimal(1234, 0));
		$this->assertSame('-1.234', CartHold::decimal(-1234, 3));
		$this->assertSame('0.00', CartHold::decimal(0, 2));
	}
}
