<?php
declare(strict_types=1);

namespace Lojal\OpenCart;

/**
 * Builds the API.md events from OpenCart's own rows (getOrder, getProducts, getTotals), so the handler stays a
 * thin reader. Amounts are OpenCart's stored ones, in the store's default currency, turned into minor units.
 */
final class PayloadBuilder {
	/**
	 * @param string $currency the store's default currency (what OpenCart stores amounts in)
	 * @param int $decimals that currency's decimal places
	 * @param string $timezone the zone OpenCart's dates are written in
	 */
	public function __construct(private string $currency, private int $decimals = 2, private string $timezone = 'UTC') {}

	public function minor(float|int|string $value): int {
		return (int)round((float)$value * (10 ** $this->decimals));
	}

	/**
	 * @param array $order getOrder() row
	 * @param array $products getProducts() rows
	 * @param array $totals getTotals() rows
	 * @param array{skus?:array, categories?:array, status?:string, pointsRedeemed?:?array, customer?:array} $extra
	 */
	public function order(array $order, array $products, array $totals, array $extra = []): array {
		$lines = [];
		foreach ($products as $product) $lines[] = $this->line($product, $extra);
		$amounts = $this->amounts($totals);
		$points = $extra['pointsRedeemed'] ?? null;
		if ($points !== null && !isset($points['amount'])) $points['amount'] = $amounts['pointsAmount'];
		return [
			'id' => (string)$order['order_id'],
			'number' => (int)($order['invoice_no'] ?? 0) > 0 ? $order['invoice_prefix'] . $order['invoice_no'] : (string)$order['order_id'],
			'status' => $extra['status'] ?? 'pending',
			'customer' => $this->customer($order, $extra['customer'] ?? []),
			'currency' => $this->currency,
			'exchangeRate' => null,
			'lines' => $lines,
			'subtotal' => array_sum(array_column($lines, 'total')),
			'discount' => $amounts['discount'],
			'shipping' => $amounts['shipping'],
			'tax' => $amounts['tax'],
			'total' => $this->minor($order['total']),
			'pointsRedeemed' => $points,
			'placedAt' => $this->utc((string)$order['date_added']),
		];
	}

	/**
	 * The order-level amounts of an order's or a cart's total lines, in minor units: the discount (coupon, reward,
	 * discount), shipping, tax, and the part paid with points (the "lojal" total line).
	 * @param array $totals getTotals() rows (code, value)
	 * @return array{discount:int, shipping:int, tax:int, pointsAmount:int}
	 */
	public function amounts(array $totals): array {
		$sum = static fn(array $codes): float => array_sum(array_map(
			static fn(array $t): float => in_array($t['code'], $codes, true) ? (float)$t['value'] : 0.0, $totals));
		return [
			'discount' => -$this->minor($sum(['coupon', 'reward', 'discount'])),
			'shipping' => $this->minor($sum(['shipping'])),
			'tax' => $this->minor($sum(['tax'])),
			'pointsAmount' => -$this->minor($sum(['lojal'])),
		];
	}

	private function line(array $product, array $extra): array {
		$productId = (string)$product['product_id'];
		$unit = $this->minor($product['price']);
		$quantity = (int)$product['quantity'];
		$sku = (string)($extra['skus'][$productId] ?? '');
		return [
			'id' => (string)$product['order_product_id'],
			'productId' => $productId,
			'sku' => $sku !== '' ? $sku : (string)($product['model'] ?? ''),
			'name' => html_entity_decode((string)$product['name'], ENT_QUOTES, 'UTF-8'),
			'categories' => array_values(array_map('strval', $extra['categories'][$productId] ?? [])),
			'quantity' => $quantity,
			'unitPrice' => $unit,
			'total' => $unit * $quantity,
			'discount' => 0,
		];
	}

	/** The order's customer: a guest has a null id and is known by e-mail. */
	public function customer(array $row, array $more = []): array {
		$id = (int)($row['customer_id'] ?? 0);
		$customer = [
			'id' => $id > 0 ? (string)$id : null,
			'email' => (string)($row['email'] ?? ''),
			'emailVerified' => $id > 0,
			'firstName' => html_entity_decode((string)($row['firstname'] ?? ''), ENT_QUOTES, 'UTF-8'),
			'lastName' => html_entity_decode((string)($row['lastname'] ?? ''), ENT_QUOTES, 'UTF-8'),
			'locale' => self::locale((string)($row['language_code'] ?? '')),
		];
		return array_merge($customer, $more);
	}

	public static function locale(string $code): ?string {
		$code = strtolower(trim($code));
		return $code === '' ? null : explode('-', $code)[0];
	}

	/**
	 * A completed return as `data.refund`: the returned quantity of the order line holding that product, at its
	 * unit price. `$return` is the return row (product_id, quantity, return_reason...).
	 */
	public function refundForReturn(array $order, array $return): array {
		$quantity = (int)$return['quantity'];
		foreach ($order['lines'] as $line) {
			if ($line['productId'] === (string)$return['product_id']) {
				$quantity = min($quantity, $line['quantity']);
				$refund = ['id' => 'return-' . $return['return_id'], 'amount' => $line['unitPrice'] * $quantity,
					'lines' => [['lineId' => $line['id'], 'quantity' => $quantity, 'amount' => $line['unitPrice'] * $quantity]]];
				if (!empty($return['reason'])) $refund['reason'] = (string)$return['reason'];
				return $refund;
			}
		}
		throw new \InvalidArgumentException('Return ' . $return['return_id'] . ' names a product the order does not hold');
	}

	/** A whole order refunded by its status (Refunded, Reversed, Chargeback). */
	public function refundForOrder(array $order): array {
		return ['id' => 'order-' . $order['id'], 'amount' => $order['total']];
	}

	public static function envelope(string $id, string $type, string $occurredAt, array $data): array {
		return ['id' => $id, 'type' => $type, 'occurredAt' => $occurredAt, 'data' => $data];
	}

	public function utc(string $local): string {
		$date = new \DateTimeImmutable($local !== '' ? $local : 'now', new \DateTimeZone($this->timezone));
		return $date->setTimezone(new \DateTimeZone('UTC'))->format('Y-m-d\TH:i:s\Z');
	}
}
