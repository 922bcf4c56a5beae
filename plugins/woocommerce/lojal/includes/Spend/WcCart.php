<?php
declare(strict_types=1);

namespace Lojal\WooCommerce\Spend;

use Lojal\WooCommerce\Core\Currencies;
use Lojal\WooCommerce\Core\Money;

/**
 * A WooCommerce cart as the plain numbers spending points needs, in minor units of the shop's currency (the
 * service's digits, Core\Currencies).
 */
final class WcCart {
	public function __construct(private \WC_Cart $cart, private string $currency) {}

	/** The shopper's cart, or null where there is none (the admin, cron, the CLI). */
	public static function current(): ?self {
		$wc = function_exists('WC') ? WC() : null;
		return $wc !== null && isset($wc->cart) && $wc->cart instanceof \WC_Cart ? new self($wc->cart, get_woocommerce_currency()) : null;
	}

	public function cart(): \WC_Cart {
		return $this->cart;
	}

	public function currency(): string {
		return strtoupper($this->currency);
	}

	public function decimals(): int {
		return Currencies::decimals($this->currency);
	}

	private function minor(mixed $value): int {
		return Money::minor(is_string($value) || is_int($value) || is_float($value) ? $value : 0, $this->decimals());
	}

	/** @return list<array{product:int, variation:int, quantity:int, price:int}> each line, for CartHold::fingerprint */
	public function lines(): array {
		$lines = [];
		foreach ($this->cart->get_cart() as $item) {
			$product = $item['data'] ?? null;
			$lines[] = [
				'product' => (int)($item['product_id'] ?? 0),
				'variation' => (int)($item['variation_id'] ?? 0),
				'quantity' => (int)($item['quantity'] ?? 0),
				'price' => $product instanceof \WC_Product ? $this->minor($product->get_price()) : 0,
			];
		}
		return $lines;
	}

	public function fingerprint(int $customerId): string {
		return CartHold::fingerprint($this->lines(), $customerId, $this->currency());
	}

	/**
	 * What the order has to pay before points, as far as points may pay it: the products after coupons, shipping
	 * and the other fees, before tax. WooCommerce never lets a negative fee take more than that (tax stays to be
	 * paid), so this is both the discount's bound and the total the service's quote is asked for.
	 */
	public function payable(): int {
		$total = $this->minor($this->cart->get_cart_contents_total()) + $this->minor($this->cart->get_shipping_total());
		foreach ($this->cart->fees_api()->get_fees() as $id => $fee) {
			if (!str_starts_with((string)$id, CartHold::FEE_PREFIX)) $total += $this->minor($fee->amount ?? 0);
		}
		return max(0, $total);
	}
}
