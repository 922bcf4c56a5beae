<?php
declare(strict_types=1);

namespace Lojal\WooCommerce\Storefront;

use Lojal\WooCommerce\Core\OrderPayload;

/**
 * The earning quote's body for a cart, made by the same mapping as the order the cart becomes (Core\OrderPayload
 * over the REST-shaped array CartReader reads from WC_Cart): each line's subtotal and what coupons took from it,
 * negative fees as the order's discount, shipping, tax and the part paid with points. So the figure the cart shows
 * is the award of the order placed from it (tests/contract/cart-quote.php checks this against the service).
 */
final class CartQuote {
	/** @param array $cart an order-shaped cart (OrderReader's keys: line_items, fee_lines, shipping_total, total_tax, total, currency, customer_id, lojal_redemption) */
	public static function body(array $cart): ?array {
		if (empty($cart['line_items'])) return null;
		$order = OrderPayload::forCurrency((string)$cart['currency'])->order(['id' => 'cart'] + $cart);
		return self::fromOrder($order);
	}

	/** The quote body of an order payload (OrderPayload::order): what that order would earn. */
	public static function fromOrder(array $order): array {
		$body = [
			'currency' => $order['currency'],
			'lines' => array_map(static fn(array $l): array => [
				'id' => $l['id'], 'productId' => $l['productId'], 'sku' => $l['sku'], 'categories' => $l['categories'],
				'quantity' => $l['quantity'], 'unitPrice' => $l['unitPrice'], 'total' => $l['total'], 'discount' => $l['discount'],
			], $order['lines']),
		];
		foreach (['discount' => $order['discount'], 'shipping' => $order['shipping'], 'tax' => $order['tax'], 'pointsAmount' => $order['pointsRedeemed']['amount'] ?? 0] as $key => $amount) {
			if ($amount > 0) $body[$key] = $amount;
		}
		if ($order['customer']['id'] !== null) $body['customerId'] = $order['customer']['id'];
		return $body;
	}
}
