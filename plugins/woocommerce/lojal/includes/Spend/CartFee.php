<?php
declare(strict_types=1);

namespace Lojal\WooCommerce\Spend;

use Lojal\WooCommerce\Core\Currencies;
use Lojal\WooCommerce\Core\Money;
use Lojal\WooCommerce\Core\OrderPayload;

/**
 * The points' discount: a negative cart fee "Loyalty points (N)" while the session's hold applies to the cart.
 * WooCommerce computes fees in every cart calculation (classic pages, the Store API behind the blocks), so the
 * same hook serves both checkouts, and the fee becomes an order fee line, shown in the order and its e-mails.
 *
 * Tax: the fee is not taxable, and the tax WooCommerce would otherwise spread over a negative fee (in the cart and
 * again when the order's taxes are worked out) is left out, so the points take exactly their value off what the
 * customer pays, and the taxes are those of the full price: the
 * points are a way of paying (like a gift card), as the service counts them (amount = points × pointValue).
 *
 * The order keeps which hold it spent: its fee line carries `_lojal_redemption_id`, the order `_lojal_redemption`
 * ({redemptionId, points, amount}, Core\OrderPayload), so every event of the order carries `pointsRedeemed`, and
 * the order's first event commits the hold at the service. Once the order exists, the session lets go of the hold
 * without releasing it.
 */
final class CartFee {
	public function __construct(private Spending $spending) {}

	public function register(): void {
		add_action('woocommerce_cart_calculate_fees', [$this, 'addFee'], 999, 1);
		add_filter('woocommerce_cart_totals_get_fees_from_cart_taxes', [$this, 'feeTaxes'], 10, 2);
		add_action('woocommerce_order_item_fee_after_calculate_taxes', [$this, 'orderFeeTaxes'], 10, 1);
		add_action('woocommerce_checkout_create_order_fee_item', [$this, 'feeItem'], 10, 4);
		add_action('woocommerce_checkout_create_order', [$this, 'orderMeta'], 10, 1);
		add_action('woocommerce_store_api_checkout_update_order_meta', [$this, 'orderMeta'], 10, 1);
		add_action('woocommerce_checkout_order_processed', [$this, 'classicOrderProcessed'], 10, 3);
		add_action('woocommerce_store_api_checkout_order_processed', [$this, 'orderProcessed'], 10, 1);
	}

	public function addFee(mixed $wcCart): void {
		if (!$wcCart instanceof \WC_Cart) return;
		$this->guard(function () use ($wcCart): void {
			$cart = new WcCart($wcCart, get_woocommerce_currency());
			$customerId = $this->spending->customerId();
			$keeper = $this->spending->keeper();
			$hold = $keeper?->current($customerId, $cart->fingerprint($customerId));
			if ($hold === null) return;
			$discount = CartHold::discount((int)$hold['amount'], $cart->payable());
			if ($discount <= 0) return;
			$wcCart->fees_api()->add_fee([
				'id' => CartHold::feeId($hold),
				'name' => SpendWords::feeName((int)$hold['points']),
				'amount' => CartHold::decimal(-$discount, $cart->decimals()),
				'taxable' => false,
			]);
		});
	}

	/** No tax on the points' fee (WooCommerce spreads tax over every negative fee unless told otherwise). */
	public function feeTaxes(mixed $taxes, mixed $fee = null): mixed {
		$id = is_object($fee) && isset($fee->object) && is_object($fee->object) ? (string)($fee->object->id ?? '') : '';
		return str_starts_with($id, CartHold::FEE_PREFIX) ? [] : $taxes;
	}

	/**
	 * Nor on the order's fee line when the order's taxes are worked out again (the checkout does, and so does the
	 * admin's "Recalculate"): WooCommerce spreads tax over every negative fee line there too.
	 */
	public function orderFeeTaxes(mixed $item): void {
		if ($item instanceof \WC_Order_Item_Fee && (string)$item->get_meta(OrderPayload::REDEMPTION_FEE_META) !== '') $item->set_taxes(false);
	}

	/** The points' fee becomes an order fee line: it names the hold, and the order records what it spent. */
	public function feeItem(mixed $item, mixed $feeKey, mixed $fee, mixed $order): void {
		if (!$item instanceof \WC_Order_Item_Fee || !$order instanceof \WC_Order || !str_starts_with((string)$feeKey, CartHold::FEE_PREFIX)) return;
		$this->guard(function () use ($item, $feeKey, $fee, $order): void {
			$hold = $this->spending->keeper()?->hold();
			if ($hold === null || CartHold::feeId($hold) !== (string)$feeKey) return;
			$total = is_object($fee) ? ($fee->total ?? $fee->amount ?? 0) : 0;
			$discount = abs(Money::minor(is_string($total) || is_int($total) || is_float($total) ? $total : 0, Currencies::decimals((string)$order->get_currency())));
			$item->add_meta_data(OrderPayload::REDEMPTION_FEE_META, (string)$hold['id'], true);
			$order->update_meta_data(OrderPayload::REDEMPTION_META, CartHold::orderMeta($hold, $discount));
		});
	}

	/**
	 * Before the order is saved (classic) or while the Store API builds it: an order without a points fee line
	 * (one made again from a cart whose points were removed) carries no redemption.
	 */
	public function orderMeta(mixed $order): void {
		if (!$order instanceof \WC_Order) return;
		$this->guard(static function () use ($order): void {
			foreach ($order->get_items('fee') as $item) {
				if ((string)$item->get_meta(OrderPayload::REDEMPTION_FEE_META) !== '') return;
			}
			if ($order->get_meta(OrderPayload::REDEMPTION_META) !== '') $order->delete_meta_data(OrderPayload::REDEMPTION_META);
		});
	}

	public function classicOrderProcessed(mixed $orderId, mixed $posted = null, mixed $order = null): void {
		$this->orderProcessed($order instanceof \WC_Order ? $order : wc_get_order((int)$orderId));
	}

	/** The order owns its hold now: the session forgets it without releasing it. */
	public function orderProcessed(mixed $order): void {
		if (!$order instanceof \WC_Order) return;
		$this->guard(function () use ($order): void {
			$meta = $order->get_meta(OrderPayload::REDEMPTION_META);
			if (is_array($meta) && !empty($meta['redemptionId'])) $this->spending->keeper()?->handOver((string)$meta['redemptionId']);
		});
	}

	private function guard(callable $work): void {
		try {
			$work();
		} catch (\Throwable $e) {
			wc_get_logger()->error('Lojal: spending points: ' . $e->getMessage(), ['source' => 'lojal']);
		}
	}
}
