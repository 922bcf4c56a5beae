<?php
declare(strict_types=1);

use Lojal\WooCommerce\Core\OrderPayload;
use PHPUnit\Framework\TestCase;

final class OrderPayloadTest extends TestCase {
	private function order(array $o): array {
		return OrderPayload::forCurrency($o['currency'])->order($o);
	}

	public function testOrderMatchesTheGoldenPayload(): void {
		$this->assertSame(lojal_fixture('order-101.golden.json'), $this->order(lojal_fixture('order-101.json')));
	}

	public function testTheAmountsAddUpToTheOrderTotal(): void {
		$o = $this->order(lojal_fixture('order-101.json'));
		$lineDiscounts = array_sum(array_column($o['lines'], 'discount'));
		$this->assertSame($o['total'], $o['subtotal'] - $lineDiscounts - $o['discount'] + $o['fees'] + $o['shipping'] + $o['tax']);
	}

	public function testAVariationIsItsOwnProductWithItsParentsCategories(): void {
		$line = $this->order(lojal_fixture('order-101.json'))['lines'][1];
		$this->assertSame(['productId' => '23', 'categories' => ['17']], ['productId' => $line['productId'], 'categories' => $line['categories']]);
	}

	public function testAGuestIsKnownByTheBillingEmailNotVerified(): void {
		$customer = $this->order(lojal_fixture('order-102-jpy.json'))['customer'];
		$this->assertSame(['id' => null, 'email' => 'kenji@example.com', 'emailVerified' => false, 'firstName' => 'Kenji', 'lastName' => 'Sato', 'locale' => null], $customer);
	}

	public function testARegisteredCustomerIsKnownByTheAccountsEmail(): void {
		$f = lojal_fixture('order-101.json');
		$this->assertSame('ana@example.com', $this->order($f)['customer']['email']);
		unset($f['customer_email']);
		$this->assertSame('ana.billing@example.com', $this->order($f)['customer']['email']);
	}

	public function testAnUnusableEmailOrLocaleIsLeftOutRatherThanRefused(): void {
		$f = lojal_fixture('order-102-jpy.json');
		$f['billing']['email'] = 'not an address';
		$f['customer_locale'] = 'fil';
		$customer = $this->order($f)['customer'];
		$this->assertNull($customer['email']);
		$this->assertNull($customer['locale']);
	}

	public function testAZeroDecimalCurrencyIsInWholeUnits(): void {
		$o = $this->order(lojal_fixture('order-102-jpy.json'));
		$this->assertSame('JPY', $o['currency']);
		$this->assertSame(['unitPrice' => 1200, 'total' => 3600, 'discount' => 360], array_intersect_key($o['lines'][0], ['unitPrice' => 0, 'total' => 0, 'discount' => 0]));
		$this->assertSame([500, 374, 4114], [$o['shipping'], $o['tax'], $o['total']]);
		$this->assertNull($o['lines'][0]['sku']);
	}

	public function testAJpyShopShowingTwoDecimalsStillMeansWholeYen(): void {
		$f = lojal_fixture('order-102-jpy.json');
		$f['line_items'][0]['subtotal'] = '3600.00';
		$f['total'] = '4114.00';
		$o = $this->order($f);
		$this->assertSame(3600, $o['lines'][0]['total']);
		$this->assertSame(4114, $o['total']);
	}

	public function testPlacedAtIsUtc(): void {
		$this->assertSame('2026-11-21T23:30:00Z', $this->order(lojal_fixture('order-102-jpy.json'))['placedAt']);
		$this->assertSame('2026-11-20T08:00:00Z', OrderPayload::utc('2026-11-20T10:00:00+02:00'));
		$this->assertSame('2026-11-20T10:00:00Z', OrderPayload::utc(1795168800));
	}

	public function testAnUnroundedLineTotalGivesARoundedUnitPrice(): void {
		$line = OrderPayload::forCurrency('EUR')->line(['id' => 5, 'name' => 'Tea', 'product_id' => 9, 'quantity' => 3, 'subtotal' => '41.666667', 'total' => '41.666667']);
		$this->assertSame(['unitPrice' => 1389, 'total' => 4167, 'discount' => 0], array_intersect_key($line, ['unitPrice' => 0, 'total' => 0, 'discount' => 0]));
	}

	public function testPointsSpentComeFromTheRedemptionMetaAndItsFeeIsNoDiscount(): void {
		$f = lojal_fixture('order-101.json');
		$f['fee_lines'][] = ['id' => 16, 'name' => 'Points', 'total' => '-4.00', OrderPayload::REDEMPTION_FEE_META => 'red_abc'];
		$f['total'] = '50.00';
		$f['lojal_redemption'] = ['redemptionId' => 'red_abc', 'points' => 400];
		$o = $this->order($f);
		$this->assertSame(['redemptionId' => 'red_abc', 'points' => 400, 'amount' => 400], $o['pointsRedeemed']);
		$this->assertSame(300, $o['discount']);
		$this->assertSame(5000, $o['total']);
	}

	public function testTheRedemptionMetaMayBeJsonOrInRestMetaData(): void {
		$f = lojal_fixture('order-101.json');
		$f['meta_data'] = [['id' => 1, 'key' => '_lojal_redemption', 'value' => '{"redemptionId":"red_x","points":50,"amount":50}']];
		$this->assertSame(['redemptionId' => 'red_x', 'points' => 50, 'amount' => 50], $this->order($f)['pointsRedeemed']);
		$f['meta_data'] = [['id' => 1, 'key' => '_lojal_redemption', 'value' => ['points' => 50]]];
		$this->assertNull($this->order($f)['pointsRedeemed']);
	}

	public function testARealWooCommerceRestOrderMaps(): void {
		// The body of a real WooCommerce 11.0.1 webhook delivery (a guest's Store API checkout), trimmed.
		$o = $this->order(lojal_fixture('rest-order-13.json'));
		$this->assertSame(['id' => '13', 'status' => 'completed', 'currency' => 'USD', 'subtotal' => 5000, 'total' => 5000, 'placedAt' => '2026-11-22T17:51:07Z'],
			array_intersect_key($o, ['id' => 0, 'status' => 0, 'currency' => 0, 'subtotal' => 0, 'total' => 0, 'placedAt' => 0]));
		$this->assertSame(['id' => '2', 'productId' => '11', 'sku' => null, 'name' => 'Loyalty Mug', 'categories' => [], 'quantity' => 4, 'unitPrice' => 1250, 'total' => 5000, 'discount' => 0], $o['lines'][0]);
		$this->assertSame(['id' => null, 'email' => 'fay@example.com', 'emailVerified' => false], array_slice($o['customer'], 0, 3));
	}

	public function testARefundNamesItsLinesWithPositiveQuantities(): void {
		$refund = OrderPayload::forCurrency('USD')->refund(lojal_fixture('refund-201.json'));
		$this->assertSame([
			'id' => '201',
			'amount' => 1788,
			'lines' => [['lineId' => '11', 'quantity' => 1, 'amount' => 1238], ['lineId' => 'shipping', 'quantity' => 0, 'amount' => 550]],
			'reason' => 'Broken handle',
		], $refund);
	}

	public function testARefundOfAnAmountAloneHasNoLines(): void {
		$refund = OrderPayload::forCurrency('USD')->refund(['id' => 202, 'amount' => '5.00', 'reason' => '', 'line_items' => []]);
		$this->assertSame(['id' => '202', 'amount' => 500], $refund);
	}

	public function testARefundedFeeNamesALineThatEarnsNothing(): void {
		$refund = OrderPayload::forCurrency('USD')->refund(['id' => 203, 'amount' => '2.00', 'fee_lines' => [['refunded_item_id' => 14, 'quantity' => 0, 'total' => '-2.00']]]);
		$this->assertSame([['lineId' => 'fee-14', 'quantity' => 0, 'amount' => 200]], $refund['lines']);
	}

	public function testWhatIsLeftToRefund(): void {
		$f = lojal_fixture('order-101.json');
		$p = OrderPayload::forCurrency('USD');
		$this->assertSame(5400, $p->remainingRefund($f));
		$f['refunds'] = [['id' => 201, 'total' => '-17.88']];
		$this->assertSame(3612, $p->remainingRefund($f));
		$f['refunds'][] = ['id' => 202, 'total' => '-36.12'];
		$this->assertSame(0, $p->remainingRefund($f));
	}
}
