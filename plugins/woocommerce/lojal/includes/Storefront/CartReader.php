<?php
declare(strict_types=1);

namespace Lojal\WooCommerce\Storefront;

use Lojal\WooCommerce\Core\OrderPayload;

/**
 * A WC_Cart (its totals calculated) as the order it becomes, in the keys Orders\OrderReader reads from that order:
 * WooCommerce copies each cart line's subtotal and total, the fees, shipping and tax into the order, so the cart
 * and its order map to the same earning. The fee that pays with points is the one the spending feature marks
 * with `_lojal_redemption_id` (a property of the cart fee, the meta of the order's fee item).
 */
final class CartReader {
	public function cart(\WC_Cart $cart, ?string $customerId): array {
		$lines = [];
		foreach ($cart->get_cart() as $key => $item) {
			$product = $item['data'] ?? null;
			$parentId = (int)($item['product_id'] ?? 0);
			$lines[] = [
				'id' => (string)$key,
				'name' => $product instanceof \WC_Product ? $product->get_name() : '',
				'product_id' => $parentId,
				'variation_id' => (int)($item['variation_id'] ?? 0),
				'quantity' => (int)($item['quantity'] ?? 0),
				'subtotal' => (string)($item['line_subtotal'] ?? '0'),
				'total' => (string)($item['line_total'] ?? '0'),
				'sku' => $product instanceof \WC_Product ? (string)$product->get_sku() : '',
				'categories' => $parentId > 0 ? array_map('intval', (array)wc_get_product_term_ids($parentId, 'product_cat')) : [],
			];
		}
		$fees = [];
		$redemption = null;
		foreach ($cart->get_fees() as $id => $fee) {
			$marker = (string)($fee->{OrderPayload::REDEMPTION_FEE_META} ?? '');
			$fees[] = ['id' => (string)$id, 'name' => (string)($fee->name ?? ''), 'total' => (string)($fee->total ?? $fee->amount ?? '0'), OrderPayload::REDEMPTION_FEE_META => $marker];
			if ($marker !== '') $redemption = ['redemptionId' => $marker, 'points' => 0];
		}
		return [
			'currency' => get_woocommerce_currency(),
			'customer_id' => $customerId !== null ? (int)$customerId : 0,
			'line_items' => $lines,
			'fee_lines' => $fees,
			'shipping_total' => (string)$cart->get_shipping_total(),
			'total_tax' => (string)$cart->get_total_tax(),
			'total' => (string)$cart->get_total('edit'),
			'lojal_redemption' => $redemption,
		];
	}
}
