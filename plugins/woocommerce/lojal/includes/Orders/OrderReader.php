<?php
declare(strict_types=1);

namespace Lojal\WooCommerce\Orders;

use Lojal\WooCommerce\Core\OrderPayload;

/**
 * A WC_Order (or WC_Order_Refund) as the plain array Core\OrderPayload maps, read through WooCommerce's CRUD only
 * (never post meta), so it reads the same from posts and from HPOS tables. Amounts stay WooCommerce's strings.
 */
final class OrderReader {
	public function order(\WC_Order $order): array {
		$userId = (int)$order->get_customer_id();
		$user = $userId > 0 ? get_userdata($userId) : false;
		$created = $order->get_date_created();
		return [
			'id' => $order->get_id(),
			'number' => (string)$order->get_order_number(),
			'status' => $order->get_status(),
			'currency' => $order->get_currency(),
			'date_created_gmt' => $created ? $created->getTimestamp() : null,
			'customer_id' => $userId,
			'customer_email' => $user ? (string)$user->user_email : '',
			'customer_locale' => $userId > 0 ? get_user_locale($userId) : get_locale(),
			'billing' => ['email' => $order->get_billing_email(), 'first_name' => $order->get_billing_first_name(), 'last_name' => $order->get_billing_last_name()],
			'line_items' => array_values(array_map([$this, 'line'], $order->get_items('line_item'))),
			'fee_lines' => array_values(array_map([$this, 'fee'], $order->get_items('fee'))),
			'shipping_total' => $order->get_shipping_total(),
			'total_tax' => $order->get_total_tax(),
			'total' => $order->get_total(),
			'refunds' => array_values(array_map(static fn($refund): array => ['id' => $refund->get_id(), 'total' => '-' . ltrim((string)$refund->get_amount(), '-')], $order->get_refunds())),
			'lojal_redemption' => $order->get_meta(OrderPayload::REDEMPTION_META),
		];
	}

	/** A product line; a variation's categories are its parent's (variations have none of their own). */
	public function line(\WC_Order_Item_Product $item): array {
		$product = $item->get_product();
		$parentId = (int)$item->get_product_id();
		return [
			'id' => $item->get_id(),
			'name' => $item->get_name(),
			'product_id' => $parentId,
			'variation_id' => (int)$item->get_variation_id(),
			'quantity' => (int)$item->get_quantity(),
			'subtotal' => $item->get_subtotal(),
			'total' => $item->get_total(),
			'sku' => $product ? (string)$product->get_sku() : '',
			'categories' => $parentId > 0 ? array_map('intval', (array)wc_get_product_term_ids($parentId, 'product_cat')) : [],
		];
	}

	public function fee(\WC_Order_Item_Fee $fee): array {
		return [
			'id' => $fee->get_id(),
			'name' => $fee->get_name(),
			'total' => $fee->get_total(),
			OrderPayload::REDEMPTION_FEE_META => (string)$fee->get_meta(OrderPayload::REDEMPTION_FEE_META),
		];
	}

	/** A refund and its items, each naming the order item it refunds (`_refunded_item_id`). */
	public function refund(\WC_Order_Refund $refund): array {
		$items = static fn(string $type): array => array_values(array_map(static fn($item): array => [
			'id' => $item->get_id(),
			'refunded_item_id' => (int)$item->get_meta('_refunded_item_id'),
			'quantity' => (int)$item->get_quantity(),
			'total' => $item->get_total(),
			'total_tax' => $item->get_total_tax(),
		], $refund->get_items($type)));
		return [
			'id' => $refund->get_id(),
			'amount' => $refund->get_amount(),
			'reason' => (string)$refund->get_reason(),
			'line_items' => $items('line_item'),
			'shipping_lines' => $items('shipping'),
			'fee_lines' => $items('fee'),
		];
	}
}
