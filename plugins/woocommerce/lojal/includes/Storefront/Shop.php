<?php
declare(strict_types=1);

namespace Lojal\WooCommerce\Storefront;

use Lojal\WooCommerce\Core\Currencies;
use Lojal\WooCommerce\Core\HttpClient;
use Lojal\WooCommerce\Core\Money;
use Lojal\WooCommerce\Services;
use Lojal\WooCommerce\WpTransport;

/** What the storefront features share in WordPress: the client, the quote with transients, the customer, dates. */
final class Shop {
	private const TIER_SECONDS = 600;

	public function __construct(private Services $services) {}

	/** On when the plugin is enabled and knows the service's URL and key. */
	public function on(): bool {
		$settings = $this->services->settings();
		return $settings->enabled() && $settings->url() !== '' && $settings->apiKey() !== '';
	}

	/** A client whose calls are held to their time limit in milliseconds (WpTransport), or null while off. */
	public function client(float $timeoutSeconds = PageBudget::PAGE_MS / 1000): ?HttpClient {
		if (!$this->on()) return null;
		$settings = $this->services->settings();
		return new HttpClient($settings->url(), $settings->apiKey(), new WpTransport(), $timeoutSeconds);
	}

	public function quote(): EarnQuote {
		return new EarnQuote($this->client(),
			static fn(string $key): mixed => get_transient($key),
			static function (string $key, mixed $value, int $seconds): void { set_transient($key, $value, $seconds); },
			PageBudget::page(), $this->services->pause());
	}

	public function customerId(): ?string {
		$id = get_current_user_id();
		return $id > 0 ? (string)$id : null;
	}

	/** The tier a customer's figures are cached under: learnt from their last quote (BASE_TIER for a guest). */
	public function tier(?string $customerId): string {
		if ($customerId === null) return EarnQuote::BASE_TIER;
		$tier = get_transient('lojal_tier_' . $customerId);
		return is_string($tier) && $tier !== '' ? $tier : 'unknown';
	}

	public function rememberTier(?string $customerId, ?string $tier): void {
		if ($customerId !== null && $tier !== null) set_transient('lojal_tier_' . $customerId, $tier, self::TIER_SECONDS);
	}

	/** A product as one quote line: its price for one unit without tax, in minor units, and the parent's categories. */
	public function productLine(\WC_Product $product): array {
		$parentId = $product->get_parent_id() ?: $product->get_id();
		return [
			'productId' => (string)$product->get_id(),
			'unitPrice' => Money::minor((string)wc_get_price_excluding_tax($product), Currencies::decimals(get_woocommerce_currency())),
			'sku' => (string)$product->get_sku(),
			'categories' => array_map('strval', (array)wc_get_product_term_ids($parentId, 'product_cat')),
		];
	}

	/** An RFC 3339 time as the shop writes dates. */
	public static function date(string $at): string {
		$time = strtotime($at);
		return $time === false ? $at : date_i18n((string)get_option('date_format', 'F j, Y'), $time);
	}

	public static function log(\Throwable $e): void {
		wc_get_logger()->error('Lojal storefront: ' . $e->getMessage(), ['source' => 'lojal']);
	}
}
