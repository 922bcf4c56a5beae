<?php
declare(strict_types=1);

use Lojal\WooCommerce\Core\OrderPayload;
use Lojal\WooCommerce\Storefront\CartQuote;
use Lojal\WooCommerce\Storefront\CartReader;
use PHPUnit\Framework\TestCase;

final class CartQuoteTest extends TestCase {
	protected function setUp(): void {
		WpStub::reset();
	}

	public function testACartsQuoteCarriesItsLinesCouponsNegativeFeesShippingTaxAndCustomer(): void {
		$this->assertSame([
			'currency' => 'USD',
			'lines' => [
				['id' => 'c81e728d9d4c2f636f067f89cc14862c', 'productId' => '11', 'sku' => 'LJ-MUG', 'categories' => ['15', '16'], 'quantity' => 2, 'unitPrice' => 1250, 'total' => 2500, 'discount' => 250],
				['id' => 'eccbc87e4b5ce2fe28308fd9f2a7baf3', 'productId' => '23', 'sku' => 'LJ-TEE-BL', 'categories' => ['17'], 'quantity' => 1, 'unitPrice' => 2500, 'total' => 2500, 'discount' => 250],
			],
			'discount' => 300,
			'shipping' => 500,
			'tax' => 465,
			'customerId' => '7',
		], CartQuote::body(lojal_fixture('cart-7.json')));
	}

	public function testTheCartAndTheOrderMadeFromItQuoteAlike(): void {
		$order = OrderPayload::forCurrency('USD')->order(lojal_fixture('cart-7-order.json'));
		$strip = static fn(array $body): array => ['lines' => array_map(static fn(array $l): array => array_diff_key($l, ['id' => 1]), $body['lines'])] + $body;
		$this->assertSame($strip(CartQuote::fromOrder($order)), $strip(CartQuote::body(lojal_fixture('cart-7.json'))));
	}

	public function testThePointsFeeIsThePartPaidWithPointsNotADiscount(): void {
		$cart = lojal_fixture('cart-7.json');
		$cart['fee_lines'][] = ['id' => 'lojal-points', 'name' => 'Points', 'total' => '-2', OrderPayload::REDEMPTION_FEE_META => 'red_1'];
		$cart['lojal_redemption'] = ['redemptionId' => 'red_1', 'points' => 0];
		$body = CartQuote::body($cart);
		$this->assertSame([300, 200], [$body['discount'], $body['pointsAmount']]);
	}

	public function testAGuestsCartHasNoCustomerAndAnEmptyCartNoQuote(): void {
		$cart = ['customer_id' => 0] + lojal_fixture('cart-7.json');
		$this->assertArrayNotHasKey('customerId', CartQuote::body($cart));
		$this->assertNull(CartQuote::body(['line_items' => []] + $cart));
	}

	public function testCartReaderReadsWooCommercesCartAsTheFixture(): void {
		WpStub::$terms = [11 => [15, 16], 20 => [17]];
		$fee = (object)['id' => 'loyal-customer', 'name' => 'Loyal customer', 'amount' => '-3', 'total' => -3.0];
		$points = (object)['id' => 'lojal-points', 'name' => 'Points', 'amount' => '-2', 'total' => -2.0, OrderPayload::REDEMPTION_FEE_META => 'red_1'];
		$cart = new WC_Cart([
			'items' => [
				'c81e728d9d4c2f636f067f89cc14862c' => ['product_id' => 11, 'variation_id' => 0, 'quantity' => 2, 'line_subtotal' => 25.0, 'line_total' => 22.5, 'data' => new WC_Product(['name' => 'Loyalty Mug', 'sku' => 'LJ-MUG'])],
				'eccbc87e4b5ce2fe28308fd9f2a7baf3' => ['product_id' => 20, 'variation_id' => 23, 'quantity' => 1, 'line_subtotal' => 25.0, 'line_total' => 22.5, 'data' => new WC_Product(['name' => 'Loyalty Tee - Blue, L', 'sku' => 'LJ-TEE-BL'])],
			],
			'fees' => ['loyal-customer' => $fee, 'lojal-points' => $points],
			'shipping_total' => '5', 'total_tax' => 4.65, 'total' => '49.65',
		]);
		$read = (new CartReader())->cart($cart, '7');
		$this->assertSame(['redemptionId' => 'red_1', 'points' => 0], $read['lojal_redemption']);
		$expected = CartQuote::body(lojal_fixture('cart-7.json'));
		$this->assertEquals($expected + ['pointsAmount' => 200], CartQuote::body($read));
	}
}
