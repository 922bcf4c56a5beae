<?php
declare(strict_types=1);

namespace Lojal\OpenCart;

/**
 * Reads what the payload needs beside OpenCart's order model (SKUs, category ids, the currency's decimals) from the
 * shop's tables through its DB object, in the storefront and the admin alike.
 */
final class OrderReader {
	public function __construct(private object $db, private string $prefix, private string $currency, private string $timezone) {}

	public function builder(): PayloadBuilder {
		$q = $this->db->query('SELECT `decimal_place` FROM `' . $this->prefix . "currency` WHERE `code` = '" . $this->db->escape($this->currency) . "'");
		return new PayloadBuilder($this->currency, (int)($q->row['decimal_place'] ?? 2), $this->timezone);
	}

	/** @param array $row getOrder() @param array $products getProducts() @param array $totals getTotals() */
	public function order(array $row, array $products, array $totals, string $status, ?array $pointsRedeemed = null): array {
		$ids = array_map(static fn(array $p): int => (int)$p['product_id'], $products) ?: [0];
		$in = implode(',', $ids);
		$skus = $this->skus($in);
		$categories = [];
		foreach ($this->db->query('SELECT `product_id`, `category_id` FROM `' . $this->prefix . 'product_to_category` WHERE `product_id` IN (' . $in . ') ORDER BY `category_id`')->rows as $r) {
			$categories[(string)$r['product_id']][] = (string)$r['category_id'];
		}
		$extra = ['skus' => $skus, 'categories' => $categories, 'status' => $status, 'pointsRedeemed' => $pointsRedeemed];
		return $this->builder()->order($row, $products, $totals, $extra);
	}

	/** SKUs: a column of `product` up to 4.0.2.x, rows of `product_code` (code "sku") from 4.1. */
	private function skus(string $in): array {
		$column = $this->db->query('SHOW COLUMNS FROM `' . $this->prefix . "product` LIKE 'sku'")->num_rows > 0;
		$sql = $column
			? 'SELECT `product_id`, `sku` FROM `' . $this->prefix . 'product` WHERE `product_id` IN (' . $in . ')'
			: 'SELECT `product_id`, `value` AS `sku` FROM `' . $this->prefix . "product_code` WHERE `code` = 'sku' AND `product_id` IN (" . $in . ')';
		$skus = [];
		foreach ($this->db->query($sql)->rows as $r) $skus[(string)$r['product_id']] = (string)$r['sku'];
		return $skus;
	}

	public function isFirstHistory(int $orderId): bool {
		$q = $this->db->query('SELECT COUNT(*) AS n FROM `' . $this->prefix . 'order_history` WHERE `order_id` = ' . $orderId);
		return (int)$q->row['n'] === 1;
	}

	public function languageCode(int $languageId, string $fallback): string {
		$q = $this->db->query('SELECT `code` FROM `' . $this->prefix . 'language` WHERE `language_id` = ' . $languageId);
		return (string)($q->row['code'] ?? $fallback);
	}
}
