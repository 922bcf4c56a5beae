<?php
declare(strict_types=1);

namespace Lojal\WooCommerce\Spend;

use Lojal\WooCommerce\Services;

/**
 * The classic (shortcode) cart and checkout: a "Use your loyalty points" box above the cart totals and above the
 * checkout's payment methods, for signed-in customers with points to use here. "Use points" and "Remove" post to
 * admin-ajax (nonce lojal_spend), then assets/spend-classic.js swaps the box and has WooCommerce refresh the cart
 * or the checkout's totals, which recalculates the fee.
 */
final class ClassicBox {
	public const NONCE = 'lojal_spend';
	public const ACTION = 'lojal_spend';

	public function __construct(private Services $services, private Spending $spending) {}

	public function register(): void {
		add_action('woocommerce_before_cart_totals', [$this, 'cartBox']);
		add_action('woocommerce_review_order_before_payment', [$this, 'checkoutBox']);
		add_action('wp_ajax_' . self::ACTION, [$this, 'ajax']);
		add_action('wp_ajax_nopriv_' . self::ACTION, [$this, 'ajax']);
	}

	public function cartBox(): void {
		$this->show('cart');
	}

	public function checkoutBox(): void {
		$this->show('checkout');
	}

	/** The box, and its script and style (in the footer: only pages that show the box load them). */
	private function show(string $context): void {
		try {
			$html = self::html($this->spending->view(), $context);
		} catch (\Throwable $e) {
			wc_get_logger()->error('Lojal: the points box could not be shown: ' . $e->getMessage(), ['source' => 'lojal']);
			return;
		}
		if ($html === '') return;
		wp_enqueue_style('lojal-spend', $this->services->assetUrl('spend-box.css'), [], LOJAL_VERSION);
		wp_enqueue_script('lojal-spend-classic', $this->services->assetUrl('spend-classic.js'), ['jquery'], LOJAL_VERSION, true);
		wp_localize_script('lojal-spend-classic', 'lojalSpend', ['ajaxUrl' => admin_url('admin-ajax.php'), 'nonce' => wp_create_nonce(self::NONCE), 'text' => SpendWords::labels()]);
		echo $html; // phpcs:ignore WordPress.Security.EscapeOutput -- escaped in html()
	}

	/** The box for a view (Spending::view); empty when there is nothing to show. */
	public static function html(array $view, string $context): string {
		$state = $view['state'] ?? 'none';
		if ($state !== 'use' && $state !== 'using') return '';
		$labels = SpendWords::labels();
		// Block themes style buttons by their element class (WooCommerce's own classic templates add it too).
		$themed = function_exists('wc_wp_theme_get_element_class_name') ? (string)wc_wp_theme_get_element_class_name('button') : '';
		$button = 'button' . ($themed !== '' ? ' ' . $themed : '');
		$open = '<div class="lojal-spend lojal-spend--' . esc_attr($state) . '" data-context="' . esc_attr($context) . '">';
		if ($state === 'using') {
			return $open . '<p class="lojal-spend__using">' . esc_html((string)$view['using']) . '</p>'
				. '<button type="button" class="' . esc_attr($button) . ' lojal-spend__remove">' . esc_html($labels['remove']) . '</button></div>';
		}
		$id = 'lojal-spend-points-' . $context;
		return $open . '<h3 class="lojal-spend__heading">' . esc_html((string)$view['heading']) . '</h3>'
			. '<p class="lojal-spend__have">' . esc_html((string)$view['have']) . ' ' . esc_html((string)$view['upTo']) . '</p>'
			. '<p class="lojal-spend__row"><label for="' . esc_attr($id) . '">' . esc_html($labels['points']) . '</label> '
			. '<input type="number" class="input-text lojal-spend__points" id="' . esc_attr($id) . '" name="lojal_spend_points" inputmode="numeric" step="1"'
			. ' min="' . (int)$view['min'] . '" max="' . (int)$view['max'] . '" value="' . (int)$view['max'] . '"> '
			. '<button type="button" class="' . esc_attr($button) . ' lojal-spend__use">' . esc_html($labels['use']) . '</button></p></div>';
	}

	/** POST do=use&points=N or do=remove (nonce, context): answers the message and the box as it now is. */
	public function ajax(): void {
		if (!check_ajax_referer(self::NONCE, 'nonce', false)) wp_send_json_error(['message' => SpendWords::unavailable()], 403);
		if ($this->spending->customerId() <= 0) wp_send_json_error(['message' => SpendWords::error(['error' => 'signed_out'])], 403);
		$do = sanitize_key(wp_unslash((string)($_POST['do'] ?? '')));
		$context = sanitize_key(wp_unslash((string)($_POST['context'] ?? ''))) === 'checkout' ? 'checkout' : 'cart';
		try {
			$result = $do === 'remove' ? $this->spending->remove() : $this->spending->apply(max(0, (int)wp_unslash((string)($_POST['points'] ?? '0'))));
			$html = self::html($this->spending->view(), $context);
		} catch (\Throwable $e) {
			wc_get_logger()->error('Lojal: spending points: ' . $e->getMessage(), ['source' => 'lojal']);
			wp_send_json_error(['message' => SpendWords::unavailable()]);
		}
		$answer = ['message' => $result['message'], 'html' => $html];
		if ($result['ok']) wp_send_json_success($answer);
		wp_send_json_error($answer);
	}
}
