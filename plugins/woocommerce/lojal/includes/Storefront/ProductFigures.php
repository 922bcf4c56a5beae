<?php
declare(strict_types=1);

namespace Lojal\WooCommerce\Storefront;

use Lojal\WooCommerce\Numbers;

/**
 * The "earn N points" snippets of a page's marked products, from one batched quote: a simple product at its price;
 * a variable product in a list at its cheapest variation ("earn from"); the variable product of a product page
 * with every variation's figure, shown by storefront-earn.js for the variation chosen (found_variation).
 */
final class ProductFigures {
	/** Variations of one product asked for at most (a product page's quote stays one call). */
	private const MAX_VARIATIONS = 100;

	public function __construct(private Shop $shop) {}

	/**
	 * @param array{l: list<int>, p: list<int>} $found Markers::find()
	 * @return array{l: array<int,string>, p: array<int,string>} the HTML per kind and product id
	 */
	public function snippets(array $found): array {
		$lines = [];
		$plan = [Markers::LIST => [], Markers::PRODUCT => []];
		foreach ($found as $kind => $ids) {
			foreach ($ids as $id) {
				$product = wc_get_product($id);
				if (!$product instanceof \WC_Product || $product->is_type(['grouped', 'external'])) continue;
				$quoted = $product->is_type('variable') ? $this->variations($product, $kind === Markers::PRODUCT) : [$product];
				foreach ($quoted as $p) $lines[$p->get_id()] = $this->shop->productLine($p);
				$plan[$kind][$id] = ['variable' => $product->is_type('variable'), 'ids' => array_map(static fn($p): int => $p->get_id(), $quoted)];
			}
		}
		if (!$lines) return [Markers::LIST => [], Markers::PRODUCT => []];
		$customerId = $this->shop->customerId();
		$result = $this->shop->quote()->forProducts(array_values($lines), $this->shop->tier($customerId), $customerId);
		$this->shop->rememberTier($customerId, $result['tier']);
		$out = [Markers::LIST => [], Markers::PRODUCT => []];
		foreach ($plan as $kind => $products) {
			foreach ($products as $id => $p) $out[$kind][$id] = $this->render($kind, $p, $result['points']);
		}
		return $out;
	}

	/** @param array<string,int> $points */
	private function render(string $kind, array $plan, array $points): string {
		if (!$plan['variable']) {
			$n = $points[(string)$plan['ids'][0]] ?? 0;
			return $n > 0 ? self::snippet(sprintf(Words::earn($n), Numbers::plain($n))) : '';
		}
		if ($kind === Markers::LIST) {
			$n = $points[(string)($plan['ids'][0] ?? '')] ?? 0;
			return $n > 0 ? self::snippet(sprintf(Words::earnFrom($n), Numbers::plain($n))) : '';
		}
		$texts = [];
		foreach ($plan['ids'] as $variationId) {
			$n = $points[(string)$variationId] ?? 0;
			if ($n > 0) $texts[(string)$variationId] = sprintf(Words::earn($n), Numbers::plain($n));
		}
		if (!$texts) return '';
		return '<div class="lojal-earn lojal-earn--variations" data-lojal-earn="' . esc_attr((string)wp_json_encode($texts)) . '" hidden>'
			. '<span class="lojal-earn__icon" aria-hidden="true">★</span> <span class="lojal-earn__text"></span></div>';
	}

	public static function snippet(string $text): string {
		return '<div class="lojal-earn"><span class="lojal-earn__icon" aria-hidden="true">★</span> <span class="lojal-earn__text">' . esc_html($text) . '</span></div>';
	}

	/**
	 * A variable product's variations to quote: all visible ones on its product page, the cheapest in a list.
	 * @return list<\WC_Product>
	 */
	private function variations(\WC_Product $product, bool $all): array {
		/** @var \WC_Product_Variable $product */
		$prices = $product->get_variation_prices()['price'] ?? [];
		asort($prices, SORT_NUMERIC);
		$ids = array_slice(array_keys($prices), 0, $all ? self::MAX_VARIATIONS : 1);
		return array_values(array_filter(array_map('wc_get_product', $ids), static fn($p): bool => $p instanceof \WC_Product));
	}
}
