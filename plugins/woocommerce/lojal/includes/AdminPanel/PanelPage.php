<?php
declare(strict_types=1);

namespace Lojal\WooCommerce\AdminPanel;

use Lojal\WooCommerce\Feature;
use Lojal\WooCommerce\Services;

/**
 * Where the points panel appears in wp-admin: on a customer's profile (Users → Edit, for users who may edit
 * users) and as a box on the order screen for the order's customer (for users who may edit orders), with either
 * order storage: HPOS (screen `woocommerce_page_wc-orders`, the box given the WC_Order) or posts (`shop_order`,
 * given the WP_Post). The page prints a placeholder; admin-panel.js loads the panel into it.
 */
final class PanelPage implements Feature {
	public const BOX = 'lojal-points';

	public function __construct(private Services $services) {}

	public function register(): void {
		add_action('show_user_profile', [$this, 'profile'], 30, 1);
		add_action('edit_user_profile', [$this, 'profile'], 30, 1);
		add_action('add_meta_boxes', [$this, 'metaBoxes'], 30, 2);
		add_action('admin_enqueue_scripts', [$this, 'assets']);
	}

	/** @param object $user the WP_User whose profile this is */
	public function profile(object $user): void {
		$userId = (int)($user->ID ?? 0);
		if ($userId <= 0 || !Target::isCustomer($user) || !current_user_can('edit_users') || !current_user_can('edit_user', $userId)) return;
		echo '<h2 id="lojal-points-title">' . esc_html__('Loyalty points (Lojal)', 'lojal') . '</h2>';
		echo PanelView::card('user', $userId); // phpcs:ignore WordPress.Security.EscapeOutput -- built escaped
	}

	/** add_meta_boxes fires with (screen id, WC_Order) on the HPOS screen and with (post type, WP_Post) on posts. */
	public function metaBoxes(mixed $screenId, mixed $object = null): void {
		$screen = self::orderScreen();
		if ($screen === '' || $screenId !== $screen || !current_user_can('edit_shop_orders')) return;
		add_meta_box(self::BOX, __('Loyalty points (Lojal)', 'lojal'), [$this, 'metaBox'], $screen, 'normal', 'low');
	}

	public function metaBox(mixed $object): void {
		$order = self::order($object);
		if ($order === null) return;
		if ((int)$order->get_customer_id() <= 0) {
			echo PanelView::message(Words::guestOrder((string)$order->get_billing_email()), 'info', false); // phpcs:ignore WordPress.Security.EscapeOutput -- built escaped
			return;
		}
		echo self::whose((int)$order->get_customer_id()) . PanelView::card('order', (int)$order->get_id()); // phpcs:ignore WordPress.Security.EscapeOutput -- built escaped
	}

	/** "Points of the order's customer: <name>", linked to their profile (where the same panel is) for who may open it. */
	private static function whose(int $customerId): string {
		$user = get_userdata($customerId);
		$name = $user ? trim((string)($user->display_name ?? '')) : '';
		$name = esc_html(($name !== '' ? $name : '#' . $customerId) . ($user && !empty($user->user_email) ? ' <' . $user->user_email . '>' : ''));
		if ($user && current_user_can('edit_user', $customerId)) $name = '<a href="' . esc_url(get_edit_user_link($customerId)) . '">' . $name . '</a>';
		/* translators: %s: the customer's name and e-mail address, linked to their profile */
		return '<p class="lojal-points-whose">' . sprintf(esc_html__('Points of the order\'s customer: %s', 'lojal'), $name) . '</p>';
	}

	public function assets(mixed $hook = ''): void {
		$screen = function_exists('get_current_screen') ? get_current_screen() : null;
		$id = is_object($screen) ? (string)$screen->id : '';
		if (!in_array($id, ['profile', 'user-edit', self::orderScreen()], true) || $id === '') return;
		wp_enqueue_style('lojal-admin-panel', $this->services->assetUrl('admin-panel.css'), [], LOJAL_VERSION);
		wp_enqueue_script('lojal-admin-panel', $this->services->assetUrl('admin-panel.js'), [], LOJAL_VERSION, true);
		wp_localize_script('lojal-admin-panel', 'lojalPanel', [
			'ajaxUrl' => admin_url('admin-ajax.php'),
			'nonce' => wp_create_nonce(PanelAjax::NONCE),
			'text' => [
				'failed' => __('The loyalty points panel could not be loaded. Reload the page and try again.', 'lojal'),
				'sending' => __('Sending…', 'lojal'),
			],
		]);
	}

	/** The order edit screen's id for the storage in use ('' before WooCommerce can say). */
	public static function orderScreen(): string {
		return function_exists('wc_get_page_screen_id') ? (string)wc_get_page_screen_id('shop-order') : '';
	}

	/** The order a box is drawn for: the WC_Order itself (HPOS) or the post's order (posts). */
	private static function order(mixed $object): ?\WC_Order {
		if ($object instanceof \WC_Order) return $object;
		$id = is_object($object) && isset($object->ID) ? (int)$object->ID : 0;
		$order = $id > 0 ? wc_get_order($id) : false;
		return $order instanceof \WC_Order ? $order : null;
	}
}
