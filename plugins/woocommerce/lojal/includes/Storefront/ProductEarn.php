<?php
declare(strict_types=1);

namespace Lojal\WooCommerce\Storefront;

use Lojal\WooCommerce\Feature;
use Lojal\WooCommerce\Services;

/**
 * "Earn N points" on product pages and product lists. While a page renders, each product's price leaves a marker
 * (classic themes: the loop and single product hooks; block themes: the Product Price block, in single product
 * templates and in product collections; the older product grid blocks: their item HTML). The whole page is held
 * in an output buffer, and once it is done all its markers are filled from ONE quote (ProductFigures); on any
 * failure the markers are removed and the page goes out without figures.
 */
final class ProductEarn implements Feature {
	private Shop $shop;
	private bool $productMarked = false;
	/** How deep the page is inside Product Collection blocks (which also fire the classic loop hooks). */
	private int $inCollection = 0;

	public function __construct(private Services $services) {
		$this->shop = new Shop($services);
	}

	public function register(): void {
		add_action('template_redirect', [$this, 'startBuffer'], 1000);
		add_action('woocommerce_after_shop_loop_item_title', [$this, 'loopMarker'], 15);
		add_action('woocommerce_single_product_summary', [$this, 'productMarker'], 15);
		add_filter('render_block_woocommerce/product-price', [$this, 'priceBlock'], 10, 3);
		add_filter('pre_render_block', [$this, 'enterBlock'], 10, 2);
		add_filter('render_block_woocommerce/product-collection', [$this, 'leaveCollection']);
		add_filter('woocommerce_blocks_product_grid_item_html', [$this, 'gridItem'], 10, 3);
		add_action('wp_enqueue_scripts', [$this, 'assets']);
	}

	public function startBuffer(): void {
		if (!$this->shop->on() || is_admin() || wp_doing_ajax() || is_feed() || wp_is_json_request()) return;
		ob_start([$this, 'fill']);
	}

	public function enterBlock(mixed $pre, array $parsed): mixed {
		if ($pre === null && ($parsed['blockName'] ?? '') === 'woocommerce/product-collection') $this->inCollection++;
		return $pre;
	}

	public function leaveCollection(string $content): string {
		$this->inCollection = max(0, $this->inCollection - 1);
		return $content;
	}

	/** The classic loop; inside a Product Collection block its Product Price block leaves the marker instead. */
	public function loopMarker(): void {
		global $product;
		if ($this->shop->on() && $this->inCollection === 0 && $product instanceof \WC_Product) echo Markers::marker(Markers::LIST, $product->get_id());
	}

	public function productMarker(): void {
		global $product;
		if (!$this->shop->on() || !$product instanceof \WC_Product || $this->productMarked) return;
		$this->productMarked = true;
		echo Markers::marker(Markers::PRODUCT, $product->get_id());
	}

	/** The Product Price block: the product of a product page, or one in a collection (related, upsells, the shop's grid). */
	public function priceBlock(string $content, array $parsed, mixed $block = null): string {
		$id = is_object($block) && isset($block->context['postId']) ? (int)$block->context['postId'] : 0;
		if (!$this->shop->on() || $id <= 0 || trim($content) === '') return $content;
		$inCollection = is_object($block) && isset($block->context['query']);
		$main = !$inCollection && !$this->productMarked && function_exists('is_product') && is_product() && $id === (int)get_queried_object_id();
		if ($main) $this->productMarked = true;
		return $content . Markers::marker($main ? Markers::PRODUCT : Markers::LIST, $id);
	}

	public function gridItem(string $html, mixed $data, mixed $product): string {
		if (!$this->shop->on() || !$product instanceof \WC_Product || !is_object($data) || empty($data->price)) return $html;
		$at = strpos($html, (string)$data->price);
		return $at === false ? $html : substr_replace($html, Markers::marker(Markers::LIST, $product->get_id()), $at + strlen((string)$data->price), 0);
	}

	/** The output buffer's end: every marker filled, or removed on any failure. */
	public function fill(string $html): string {
		$found = Markers::find($html);
		if (!$found[Markers::LIST] && !$found[Markers::PRODUCT]) return $html;
		try {
			$snippets = (new ProductFigures($this->shop))->snippets($found);
			return Markers::fill($html, static fn(string $kind, int $id): string => $snippets[$kind][$id] ?? '');
		} catch (\Throwable $e) {
			Shop::log($e);
			return Markers::strip($html);
		}
	}

	public function assets(): void {
		if (!$this->shop->on()) return;
		wp_enqueue_style('lojal-storefront', $this->services->assetUrl('storefront-earn.css'), [], LOJAL_VERSION);
		if (function_exists('is_product') && is_product()) {
			wp_enqueue_script('lojal-storefront-earn', $this->services->assetUrl('storefront-earn.js'), ['jquery'], LOJAL_VERSION, true);
		}
	}
}
