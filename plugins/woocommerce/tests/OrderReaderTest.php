<?php
declare(strict_types=1);

use Lojal\WooCommerce\Core\Events;
use Lojal\WooCommerce\Core\OrderPayload;
use Lojal\WooCommerce\Orders\OrderReader;
use PHPUnit\Framework\TestCase;

final class OrderReaderTest extends TestCase {
	protected function setUp(): void {
		WpStub::reset();
	}

	public function testAWooCommerceOrderReadsAsTheGoldenPayload(): void {
		$snapshot = (new OrderReader())->order(lojal_wc_order_101());
		$this->assertSame(lojal_fixture('order-101.golden.json'), OrderPayload::forCurrency('USD')->order($snapshot));
	}

	public function testAVariationTakesItsParentsCategoriesNotItsOwn(): void {
		$line = (new OrderReader())->order(lojal_wc_order_101())['line_items'][1];
		$this->assertSame([20, 23, [17]], [$line['product_id'], $line['variation_id'], $line['categories']]);
	}

	public function testAGuestOrderCarriesTheSitesLocaleAndNoAccountEmail(): void {
		$order = lojal_wc_order_101();
		$order->data['customer_id'] = 0;
		update_option('WPLANG', 'ro_RO');
		$snapshot = (new OrderReader())->order($order);
		$this->assertSame(['', 'ro_RO'], [$snapshot['customer_email'], $snapshot['customer_locale']]);
		$this->assertSame(['id' => null, 'email' => 'ana.billing@example.com', 'emailVerified' => false], array_slice(OrderPayload::forCurrency('USD')->customer($snapshot), 0, 3));
	}

	public function testTheRedemptionMetaAndItsFeeAreRead(): void {
		$order = lojal_wc_order_101();
		$order->data['meta'] = [OrderPayload::REDEMPTION_META => ['redemptionId' => 'red_1', 'points' => 300]];
		$order->data['items']['fee'][] = new WC_Order_Item_Fee(['id' => 16, 'name' => 'Points', 'total' => '-3.00', 'meta' => [OrderPayload::REDEMPTION_FEE_META => 'red_1']]);
		$order->data['total'] = '51.00';
		$o = OrderPayload::forCurrency('USD')->order((new OrderReader())->order($order));
		$this->assertSame(['redemptionId' => 'red_1', 'points' => 300, 'amount' => 300], $o['pointsRedeemed']);
		$this->assertSame([300, 5100], [$o['discount'], $o['total']]);
	}

	public function testARefundReadsWithItsItemsNamingTheOrderLines(): void {
		$order = (new OrderReader())->order(lojal_wc_order_101());
		$refund = (new OrderReader())->refund(lojal_wc_refund_201());
		$this->assertSame(OrderPayload::forCurrency('USD')->refund(lojal_fixture('refund-201.json')), OrderPayload::forCurrency('USD')->refund($refund));
		$event = Events::forRefund($order, $refund, '2026-11-22T00:00:00Z');
		$this->assertSame([['lineId' => '11', 'quantity' => 1, 'amount' => 1238], ['lineId' => 'shipping', 'quantity' => 0, 'amount' => 550]], json_decode($event['body'], true)['data']['refund']['lines']);
	}

	public function testTheOrdersRefundsCountInWhatIsLeft(): void {
		$order = lojal_wc_order_101();
		$order->data['refunds'] = [lojal_wc_refund_201()];
		$this->assertSame(3612, OrderPayload::forCurrency('USD')->remainingRefund((new OrderReader())->order($order)));
	}
}
