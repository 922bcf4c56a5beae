<?php
namespace Opencart\Catalog\Controller\Extension\Lojal\Event;

require_once DIR_EXTENSION . 'lojal/system/library/lojal/autoload.php';

use Lojal\OpenCart\EarnQuote;
use Lojal\OpenCart\OrderReader;
use Lojal\OpenCart\Plural;
use Lojal\OpenCart\Settings;

/**
 * "Earn N points" (view events): a product thumb leaves a marker; a page (product, category, search, special,
 * manufacturer, home) fills all its markers from one quote; the cart and the checkout confirmation show what the
 * cart earns. Never throws into a page, never holds it more than 300 ms; on any failure the message is left out.
 */
class Earn extends \Opencart\System\Engine\Controller {
	public function thumb(string &$route, array &$data, mixed &$output): void {
		if (!$this->on() || !is_string($output) || empty($data['product_id'])) return;
		$at = strpos($output, '<form');
		$marker = EarnQuote::marker((string)$data['product_id']);
		$output = $at === false ? $output . $marker : substr_replace($output, $marker, $at, 0);
	}

	public function product(string &$route, array &$data, mixed &$output): void {
		if (!$this->on() || !is_string($output)) return;
		if (!empty($data['product_id'])) {
			$marker = EarnQuote::marker((string)$data['product_id']);
			$at = strpos($output, '<div id="product"');
			$output = $at === false ? $output : substr_replace($output, $marker, $at, 0);
		}
		$this->page($route, $data, $output);
	}

	public function page(string &$route, array &$data, mixed &$output): void {
		if (!$this->on() || !is_string($output)) return;
		try {
			$ids = EarnQuote::markedIds($output);
			$points = $ids ? $this->quoteProducts($ids) : [];
			$this->load->language('extension/lojal/event/earn');
			$output = EarnQuote::fillMarkers($output, fn(string $id): string => isset($points[$id]) && $points[$id] > 0 ? $this->snippet($this->say('lojal_text_earn', $points[$id])) : '');
		} catch (\Throwable $e) {
			$output = EarnQuote::fillMarkers($output, static fn(): string => '');
			$this->log->write('Lojal: ' . $e->getMessage());
		}
	}

	/** The cart list and the checkout confirmation: "This order earns N points", with the cart's discounts, shipping, tax and points spent. */
	public function cart(string &$route, array &$data, mixed &$output): void {
		if (!$this->on() || !is_string($output) || !$this->cart->hasProducts()) return;
		try {
			$builder = $this->reader()->builder();
			$lines = [];
			foreach ($this->cart->getProducts() as $p) {
				$lines[] = ['id' => (string)$p['cart_id'], 'productId' => (string)$p['product_id'], 'sku' => (string)($p['model'] ?? ''),
					'categories' => $this->categories([(int)$p['product_id']])[(string)$p['product_id']] ?? [], 'quantity' => (int)$p['quantity'], 'unitPrice' => $builder->minor($p['price'])];
			}
			$points = $this->quote()->forCart($lines, $this->customerId(), $builder->amounts($this->cartTotals()));
			if ($points === null || $points <= 0) return;
			$this->load->language('extension/lojal/event/earn');
			$snippet = $this->snippet($this->say('lojal_text_earn_cart', $points));
			$at = strrpos($output, '</table>');
			$output = $at === false ? $output . $snippet : substr_replace($output, $snippet, $at + 8, 0);
		} catch (\Throwable $e) {
			$this->log->write('Lojal: ' . $e->getMessage());
		}
	}

	/** The cart's total lines so far (coupon, shipping once chosen, tax, the points spent on it), as the order gets them. */
	private function cartTotals(): array {
		$this->load->model('checkout/cart');
		$totals = [];
		$taxes = $this->cart->getTaxes();
		$total = 0;
		($this->model_checkout_cart->getTotals)($totals, $taxes, $total);
		return $totals;
	}

	/** A counted phrase of the language file (plural forms separated by "|"). */
	private function say(string $key, int $points): string {
		return Plural::format((string)$this->language->get($key), $points, (string)$this->config->get('config_language'), (string)$this->language->get('thousand_point'));
	}

	private function snippet(string $text): string {
		return '<div class="lojal-earn text-success small mb-2"><i class="fa-solid fa-star"></i> ' . htmlspecialchars($text, ENT_QUOTES, 'UTF-8') . '</div>';
	}

	private function on(): bool {
		return $this->settings()->enabled() && $this->settings()->configured();
	}

	private function settings(): Settings {
		return new Settings(fn(string $key) => $this->config->get($key));
	}

	private function reader(): OrderReader {
		return new OrderReader($this->db, DB_PREFIX, (string)$this->config->get('config_currency'), date_default_timezone_get());
	}

	private function customerId(): ?string {
		return $this->customer->isLogged() ? (string)$this->customer->getId() : null;
	}

	private function quote(): EarnQuote {
		return new EarnQuote($this->settings()->client(EarnQuote::TIMEOUT_MS),
			fn(string $key) => $this->cache->get($key),
			fn(string $key, int $points) => $this->cache->set($key, $points, EarnQuote::CACHE_SECONDS));
	}

	/** @param list<string> $ids @return array<string,int> */
	private function quoteProducts(array $ids): array {
		$this->load->model('catalog/product');
		$builder = $this->reader()->builder();
		$categories = $this->categories(array_map('intval', $ids));
		$products = [];
		foreach ($ids as $id) {
			$row = $this->model_catalog_product->getProduct((int)$id);
			if (!$row) continue;
			$price = (float)$row['special'] > 0 ? $row['special'] : $row['price'];
			$products[] = ['productId' => $id, 'unitPrice' => $builder->minor($price), 'sku' => (string)$row['model'], 'categories' => $categories[$id] ?? []];
		}
		// The tier a customer's figures are cached under is learnt from their first quote in the session.
		$customerId = $this->customerId();
		$tier = $customerId === null ? EarnQuote::BASE_TIER : (string)($this->session->data['lojal_tier'] ?? '');
		$result = $this->quote()->forProducts($products, $tier, $customerId);
		if ($customerId !== null && $result['tier'] !== null) $this->session->data['lojal_tier'] = $result['tier'];
		return $result['points'];
	}

	/** @param list<int> $ids @return array<string, list<string>> */
	private function categories(array $ids): array {
		$in = implode(',', array_map('intval', $ids ?: [0]));
		$out = [];
		foreach ($this->db->query('SELECT `product_id`, `category_id` FROM `' . DB_PREFIX . 'product_to_category` WHERE `product_id` IN (' . $in . ') ORDER BY `category_id`')->rows as $r) {
			$out[(string)$r['product_id']][] = (string)$r['category_id'];
		}
		return $out;
	}
}
