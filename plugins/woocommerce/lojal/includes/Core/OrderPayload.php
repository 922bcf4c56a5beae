<?php
declare(strict_types=1);

namespace Lojal\WooCommerce\Core;

/**
 * Builds API.md's `order` and `refund` from a WooCommerce order as a plain array, in the shape of WooCommerce's
 * REST order (`line_items`, `fee_lines`, `shipping_total`, `total_tax`, `total`, `billing`, `customer_id`,
 * `date_created_gmt`, `meta_data` …; Orders\OrderReader makes it from a WC_Order), plus `categories` on each line
 * and, for a registered customer, `customer_email` and `customer_locale`. Money arrives as WooCommerce's decimal
 * strings and leaves as integers in minor units (Money).
 *
 * Lines: `total` is the line before its own discount (WooCommerce's line subtotal, ex tax), `discount` what
 * coupons took from it (subtotal − total); WooCommerce spreads every coupon over the lines, so the order-level
 * `discount` holds only negative fees. Positive fees go to `fees` (not read by the service: they earn nothing).
 * The fee that pays with points (meta `_lojal_redemption_id`) is neither: it is `pointsRedeemed`.
 */
final class OrderPayload {
	/** Order meta the checkout writes when points are spent: {redemptionId, points, amount?}. */
	public const REDEMPTION_META = '_lojal_redemption';
	/** Fee item meta marking the fee that is the points' discount. */
	public const REDEMPTION_FEE_META = '_lojal_redemption_id';

	public function __construct(private int $decimals) {}

	/** The mapping for an order in that currency (its minor digits: Currencies). */
	public static function forCurrency(string $currency): self {
		return new self(Currencies::decimals($currency));
	}

	public function minor(string|int|float|null $value): int {
		return Money::minor($value, $this->decimals);
	}

	public function order(array $o): array {
		$lines = array_map(fn(array $item): array => $this->line($item), array_values($o['line_items'] ?? []));
		$fees = $this->fees($o['fee_lines'] ?? []);
		return [
			'id' => (string)$o['id'],
			'number' => (string)($o['number'] ?? $o['id']),
			'status' => (string)($o['status'] ?? ''),
			'customer' => $this->customer($o),
			'currency' => strtoupper((string)$o['currency']),
			'exchangeRate' => null,
			'lines' => $lines,
			'subtotal' => array_sum(array_column($lines, 'total')),
			'discount' => $fees['discount'],
			'fees' => $fees['fees'],
			'shipping' => max(0, $this->minor($o['shipping_total'] ?? 0)),
			'tax' => max(0, $this->minor($o['total_tax'] ?? 0)),
			'total' => max(0, $this->minor($o['total'] ?? 0)),
			'pointsRedeemed' => $this->pointsRedeemed($o, $fees['points']),
			'placedAt' => self::utc($o['date_created_gmt'] ?? null),
		];
	}

	public function line(array $item): array {
		$quantity = (int)$item['quantity'];
		$subtotal = max(0, $this->minor($item['subtotal'] ?? 0));
		$total = max(0, $this->minor($item['total'] ?? 0));
		$variation = (int)($item['variation_id'] ?? 0);
		$product = $variation > 0 ? $variation : (int)($item['product_id'] ?? 0);
		$sku = trim((string)($item['sku'] ?? ''));
		return [
			'id' => (string)$item['id'],
			'productId' => $product > 0 ? (string)$product : null,
			'sku' => $sku !== '' ? $sku : null,
			'name' => self::text($item['name'] ?? ''),
			'categories' => array_values(array_map('strval', $item['categories'] ?? [])),
			'quantity' => $quantity,
			'unitPrice' => $quantity > 0 ? intdiv($subtotal + intdiv($quantity, 2), $quantity) : $subtotal,
			'total' => $subtotal,
			'discount' => max(0, $subtotal - $total),
		];
	}

	/** @return array{discount:int, fees:int, points:int} negative fees, positive fees, the points fee (all ≥ 0) */
	private function fees(array $feeLines): array {
		$out = ['discount' => 0, 'fees' => 0, 'points' => 0];
		foreach ($feeLines as $fee) {
			$amount = $this->minor($fee['total'] ?? 0);
			if (!empty($fee[self::REDEMPTION_FEE_META]) || self::metaValue($fee, self::REDEMPTION_FEE_META) !== null) $out['points'] += abs($amount);
			elseif ($amount < 0) $out['discount'] += -$amount;
			else $out['fees'] += $amount;
		}
		return $out;
	}

	/** The order's customer: a guest has a null id and is known by the billing e-mail, not verified. */
	public function customer(array $o): array {
		$id = (int)($o['customer_id'] ?? 0);
		$billing = (array)($o['billing'] ?? []);
		$email = $id > 0 && !empty($o['customer_email']) ? $o['customer_email'] : ($billing['email'] ?? '');
		return [
			'id' => $id > 0 ? (string)$id : null,
			'email' => self::email((string)$email),
			'emailVerified' => $id > 0,
			'firstName' => self::text($billing['first_name'] ?? ''),
			'lastName' => self::text($billing['last_name'] ?? ''),
			'locale' => self::locale((string)($o['customer_locale'] ?? '')),
		];
	}

	/** What the order spent in points (the checkout's meta), or null. */
	private function pointsRedeemed(array $o, int $feeAmount): ?array {
		$meta = $o['lojal_redemption'] ?? self::metaValue($o, self::REDEMPTION_META);
		if (is_string($meta) && $meta !== '') $meta = json_decode($meta, true);
		if (!is_array($meta) || empty($meta['redemptionId'])) return null;
		return [
			'redemptionId' => (string)$meta['redemptionId'],
			'points' => max(0, (int)($meta['points'] ?? 0)),
			'amount' => isset($meta['amount']) ? max(0, (int)$meta['amount']) : $feeAmount,
		];
	}

	/**
	 * `data.refund` from a WooCommerce refund (REST shape: `id`, `amount`, `reason`, and its items in `line_items`,
	 * `shipping_lines`, `fee_lines`, each with `refunded_item_id` and negative `quantity`/`total`/`total_tax`).
	 * Refunded product lines name the order line; shipping is the line "shipping" (it earns only when the program
	 * counts shipping); a refunded fee names "fee-<id>", a line the service does not know, so it reverses nothing.
	 */
	public function refund(array $r): array {
		$lines = [];
		foreach ($r['line_items'] ?? [] as $item) $lines[] = $this->refundLine((string)($item['refunded_item_id'] ?? ''), $item);
		$shipping = ['lineId' => 'shipping', 'quantity' => 0, 'amount' => 0];
		foreach ($r['shipping_lines'] ?? [] as $item) $shipping['amount'] += $this->refundLine('shipping', $item)['amount'];
		$lines[] = $shipping;
		foreach ($r['fee_lines'] ?? [] as $item) $lines[] = $this->refundLine('fee-' . ($item['refunded_item_id'] ?? ''), $item);
		$lines = array_values(array_filter($lines, static fn(array $l): bool => $l['lineId'] !== '' && ($l['quantity'] > 0 || $l['amount'] > 0)));
		$refund = ['id' => (string)$r['id'], 'amount' => abs($this->minor($r['amount'] ?? 0))];
		if ($lines) $refund['lines'] = $lines;
		$reason = self::text($r['reason'] ?? '');
		if ($reason !== null) $refund['reason'] = mb_substr($reason, 0, 500);
		return $refund;
	}

	private function refundLine(string $lineId, array $item): array {
		$amount = abs($this->minor($item['total'] ?? 0)) + abs($this->minor($item['total_tax'] ?? 0));
		return ['lineId' => $lineId, 'quantity' => abs((int)($item['quantity'] ?? 0)), 'amount' => $amount];
	}

	/**
	 * What is left to refund of an order (its total less its refunds, REST `refunds`: [{id, total: "-5.00"}]):
	 * the amount a status mapped to "refunded" refunds when WooCommerce has not made refunds for all of it.
	 */
	public function remainingRefund(array $o): int {
		$refunded = 0;
		foreach ($o['refunds'] ?? [] as $refund) $refunded += abs($this->minor($refund['total'] ?? 0));
		return max(0, $this->minor($o['total'] ?? 0) - $refunded);
	}

	public static function envelope(string $id, string $type, string $occurredAt, array $data): array {
		return ['id' => $id, 'type' => $type, 'occurredAt' => $occurredAt, 'data' => $data];
	}

	/** A WooCommerce GMT date ("2026-11-22T17:51:07", no zone), an RFC 3339 string or a Unix time, in UTC. */
	public static function utc(string|int|null $date): string {
		if ($date === null || $date === '') return gmdate('Y-m-d\TH:i:s\Z');
		if (is_int($date) || ctype_digit($date)) return gmdate('Y-m-d\TH:i:s\Z', (int)$date);
		$parsed = new \DateTimeImmutable($date, new \DateTimeZone('UTC'));
		return $parsed->setTimezone(new \DateTimeZone('UTC'))->format('Y-m-d\TH:i:s\Z');
	}

	/** "pl_PL" → "pl"; anything the service would refuse → null. */
	public static function locale(string $locale): ?string {
		$language = strtolower(explode('_', str_replace('-', '_', trim($locale)))[0]);
		return preg_match('/^[a-z]{2}$/', $language) ? $language : null;
	}

	public static function email(string $email): ?string {
		$email = trim($email);
		return $email !== '' && filter_var($email, FILTER_VALIDATE_EMAIL) !== false ? $email : null;
	}

	private static function text(mixed $value): ?string {
		$text = trim(html_entity_decode((string)$value, ENT_QUOTES, 'UTF-8'));
		return $text === '' ? null : $text;
	}

	/** A value from a REST-style `meta_data` list ([{key, value}]), or null. */
	private static function metaValue(array $o, string $key): mixed {
		foreach ($o['meta_data'] ?? [] as $meta) {
			if (is_array($meta) && ($meta['key'] ?? null) === $key) return $meta['value'];
		}
		return null;
	}
}
