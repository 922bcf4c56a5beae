<?php
declare(strict_types=1);

use Lojal\WooCommerce\Core\OrderPayload;
use Lojal\WooCommerce\Settings;
use Lojal\WooCommerce\Spend\CartHold;
use Lojal\WooCommerce\Spend\HoldKeeper;
use Lojal\WooCommerce\Spend\SpendPoints;
use Lojal\WooCommerce\Spend\WcCart;
use PHPUnit\Framework\TestCase;

/** The points' fee in a WooCommerce cart and what the order keeps of it, through the hooks the plugin registers. */
final class SpendCartFeeTest extends TestCase {
	private const CART = [[11, 0, 2, '12.50'], [20, 23, 1, '25.00']];

	protected function setUp(): void {
		WpStub::reset();
		WpStub::$options = [Settings::ENABLED => 'yes', Settings::URL => 'http://lojal.test', Settings::API_KEY => 'lj_sk_x', Settings::SECRET => 'lj_whsec_x'];
		SpendStub::reset(7, new WC_Cart(self::CART, '50.00', '5.00'));
		(new SpendPoints(lojal_services()))->register();
	}

	/** The hold the session keeps for the cart as it is (or for another fingerprint). */
	private function hold(int $amount = 500, ?string $fingerprint = null): array {
		$lines = [['product' => 11, 'variation' => 0, 'quantity' => 2, 'price' => 1250], ['product' => 20, 'variation' => 23, 'quantity' => 1, 'price' => 2500]];
		$hold = ['id' => 'red_01', 'points' => $amount, 'amount' => $amount, 'expiresAt' => gmdate('Y-m-d\TH:i:s\Z', time() + 600), 'customerId' => 7,
			'fingerprint' => $fingerprint ?? CartHold::fingerprint($lines, 7, 'USD')];
		WC()->session->set(HoldKeeper::HOLD, $hold);
		return $hold;
	}

	private static function answer(int $status, array $body): array {
		return ['response' => ['code' => $status], 'body' => json_encode($body)];
	}

	public function testAHoldForThisCartIsANegativeUntaxedFeeNamedWithThePoints(): void {
		$this->hold(500);
		WC()->cart->calculate_totals();
		$fees = WC()->cart->fees_api()->get_fees();
		$this->assertSame(['lojal_points_red_01'], array_keys($fees));
		$fee = $fees['lojal_points_red_01'];
		$this->assertSame(['Loyalty points (500)', '-5.00', false], [$fee->name, $fee->amount, $fee->taxable]);
		$this->assertSame([], WpStub::$requests, 'nothing asked of the service');
	}

	public function testTheFeeNeverTakesMoreThanTheOrderHasToPayBeforeTax(): void {
		WC()->cart->contentsTotal = '2.00';
		WC()->cart->shippingTotal = '1.00';
		WC()->cart->fees_api()->add_fee(['id' => 'gift-wrap', 'amount' => '0.50']);
		$this->hold(500);
		WpStub::fire('woocommerce_cart_calculate_fees', WC()->cart);
		$this->assertSame('-3.50', WC()->cart->fees_api()->get_fees()['lojal_points_red_01']->amount);
	}

	public function testWhatTheCartHasToPayLeavesOutThePointsOwnFee(): void {
		$cart = new WcCart(WC()->cart, 'USD');
		$this->assertSame(5500, $cart->payable());
		WC()->cart->fees_api()->add_fee(['id' => 'gift-wrap', 'amount' => '2.00']);
		WC()->cart->fees_api()->add_fee(['id' => 'lojal_points_red_01', 'amount' => '-5.00']);
		$this->assertSame(5700, $cart->payable(), 'the points fee of this same cart is not counted against itself');
		$this->assertCount(2, $cart->lines());
		$this->assertSame(['product' => 20, 'variation' => 23, 'quantity' => 1, 'price' => 2500], $cart->lines()[1]);
	}

	public function testWooCommercesTaxOnANegativeFeeIsLeftOffThePointsFeeOnly(): void {
		$ours = (object)['object' => (object)['id' => 'lojal_points_red_01']];
		$other = (object)['object' => (object)['id' => 'discount']];
		$this->assertSame([], apply_filters('woocommerce_cart_totals_get_fees_from_cart_taxes', [1 => -100.0], $ours, null));
		$this->assertSame([1 => -100.0], apply_filters('woocommerce_cart_totals_get_fees_from_cart_taxes', [1 => -100.0], $other, null));
	}

	public function testWhenTheOrdersTaxesAreWorkedOutAgainThePointsFeeLineStaysUntaxed(): void {
		$ours = new SpendFeeItem(['total' => '-5.00', 'meta' => [OrderPayload::REDEMPTION_FEE_META => 'red_01']]);
		$ours->set_taxes(['total' => [1 => -0.83]]);
		$other = new SpendFeeItem(['total' => '-3.00']);
		$other->set_taxes(['total' => [1 => -0.5]]);
		WpStub::fire('woocommerce_order_item_fee_after_calculate_taxes', $ours, ['country' => 'US']);
		WpStub::fire('woocommerce_order_item_fee_after_calculate_taxes', $other, ['country' => 'US']);
		$this->assertSame([['total' => []], 0], [$ours->get_taxes(), $ours->get_total_tax()]);
		$this->assertSame(-0.5, $other->get_total_tax(), 'another negative fee keeps WooCommerce\'s taxes');
	}

	public function testAChangedCartReleasesTheHoldAndHasNoFee(): void {
		$this->hold(500, 'the cart before');
		WpStub::$http = [self::answer(200, ['status' => 'released'])];
		WC()->cart->calculate_totals();
		$this->assertSame([], WC()->cart->fees_api()->get_fees());
		$this->assertSame('http://lojal.test/v1/redemptions/red_01/cancel', WpStub::$requests[0]['url']);
		$this->assertSame(0.3, WpStub::$requests[0]['args']['timeout']);
		$this->assertNull(WC()->session->get(HoldKeeper::HOLD));
	}

	public function testAGuestHasNoFeeAndAHoldLeftInTheSessionIsReleased(): void {
		$this->hold(500);
		SpendStub::$userId = 0;
		WpStub::$http = [self::answer(200, ['status' => 'released'])];
		WC()->cart->calculate_totals();
		$this->assertSame([], WC()->cart->fees_api()->get_fees());
		$this->assertCount(1, WpStub::$requests);
	}

	public function testWithThePluginOffThereIsNoDiscount(): void {
		$this->hold(500);
		WpStub::$options[Settings::ENABLED] = 'no';
		WC()->cart->calculate_totals();
		$this->assertSame([], WC()->cart->fees_api()->get_fees());
		$this->assertNull(WC()->session->get(HoldKeeper::HOLD));
	}

	public function testTheFeeLineNamesTheHoldAndTheOrderKeepsWhatItSpent(): void {
		$this->hold(500);
		$item = new SpendFeeItem(['name' => 'Loyalty points (500)']);
		$order = new SpendOrder(['id' => 301, 'currency' => 'USD']);
		WpStub::fire('woocommerce_checkout_create_order_fee_item', $item, 'lojal_points_red_01', (object)['amount' => '-5.00', 'total' => -4.5], $order);
		$this->assertSame('red_01', $item->get_meta(OrderPayload::REDEMPTION_FEE_META));
		$this->assertSame(['redemptionId' => 'red_01', 'points' => 500, 'amount' => 450], $order->get_meta(OrderPayload::REDEMPTION_META));
		$other = new SpendFeeItem(['name' => 'Gift wrap']);
		WpStub::fire('woocommerce_checkout_create_order_fee_item', $other, 'gift-wrap', (object)['total' => 2.0], $order);
		$this->assertSame('', $other->get_meta(OrderPayload::REDEMPTION_FEE_META));
		WpStub::fire('woocommerce_checkout_create_order_fee_item', $other, 'lojal_points_red_00', (object)['total' => -1.0], new SpendOrder(['id' => 302]));
		$this->assertSame('', $other->get_meta(OrderPayload::REDEMPTION_FEE_META), 'a fee of another hold');
	}

	public function testAnOrderWithoutThePointsFeeLineCarriesNoRedemption(): void {
		foreach (['woocommerce_checkout_create_order', 'woocommerce_store_api_checkout_update_order_meta'] as $hook) {
			$stale = new SpendOrder(['id' => 301, 'meta' => [OrderPayload::REDEMPTION_META => ['redemptionId' => 'red_01', 'points' => 5]], 'items' => ['fee' => [new SpendFeeItem(['name' => 'Gift wrap'])]]]);
			WpStub::fire($hook, $stale, []);
			$this->assertSame('', $stale->get_meta(OrderPayload::REDEMPTION_META), $hook);
			$kept = new SpendOrder(['id' => 302, 'meta' => [OrderPayload::REDEMPTION_META => ['redemptionId' => 'red_01', 'points' => 5]], 'items' => ['fee' => [new SpendFeeItem(['meta' => [OrderPayload::REDEMPTION_FEE_META => 'red_01']])]]]);
			WpStub::fire($hook, $kept, []);
			$this->assertSame('red_01', $kept->get_meta(OrderPayload::REDEMPTION_META)['redemptionId'], $hook);
		}
	}

	public function testOnceTheOrderIsMadeTheSessionLetsGoOfTheHoldWithoutReleasingIt(): void {
		$order = new SpendOrder(['id' => 301, 'meta' => [OrderPayload::REDEMPTION_META => ['redemptionId' => 'red_01', 'points' => 500, 'amount' => 500]]]);
		$this->hold(500);
		WpStub::fire('woocommerce_checkout_order_processed', 301, [], $order);
		$this->assertNull(WC()->session->get(HoldKeeper::HOLD), 'classic');
		$this->hold(500);
		WpStub::fire('woocommerce_store_api_checkout_order_processed', $order);
		$this->assertNull(WC()->session->get(HoldKeeper::HOLD), 'blocks');
		$this->hold(500);
		WpStub::fire('woocommerce_store_api_checkout_order_processed', new SpendOrder(['id' => 302]));
		$this->assertSame('red_01', WC()->session->get(HoldKeeper::HOLD)['id'], 'an order without points');
		$this->assertSame([], WpStub::$requests);
		WC()->cart->lines = [];
		WC()->session->set(HoldKeeper::HOLD, null);
		WC()->cart->calculate_totals();
		$this->assertSame([], WpStub::$requests, 'the emptied cart releases nothing');
	}

	public function testAFailureNeverBreaksTheCart(): void {
		$this->hold(500);
		WC()->cart->lines = [[11, 0, 2, 'twelve']];
		WC()->cart->calculate_totals();
		$this->assertSame([], WC()->cart->fees_api()->get_fees());
		$this->assertStringContainsString('Lojal: spending points: ', WpStub::$errors[0]);
	}
}
