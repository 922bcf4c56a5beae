<?php
declare(strict_types=1);

namespace Lojal\WooCommerce\AdminPanel;

/**
 * Whose points a panel request is about, and whether the current user may see or change them. A panel is either
 * a user's (their profile: `edit_users` and `edit_user` on them) or an order's (its customer, read from the saved
 * order, never from the request: `edit_shop_orders`). Adjusting needs `manage_woocommerce` besides. The member
 * the service knows is the WordPress user id as a string, as the plugin's events send it (OrderPayload, Events).
 */
final class Target {
	/**
	 * @param array $request the AJAX request: `user` or `order` (an id)
	 * @param callable(string, mixed...): bool $can current_user_can
	 * @return array{customerId:?string, error:string, guestEmail:string} error: '' or a Words::fieldError code;
	 *   an order without a registered customer has no customerId and its billing e-mail (maybe '') as guestEmail
	 */
	public static function resolve(array $request, callable $can): array {
		$none = ['customerId' => null, 'error' => 'no_customer', 'guestEmail' => ''];
		if (isset($request['order'])) {
			if (!$can('edit_shop_orders')) return array_replace($none, ['error' => 'forbidden_view']);
			$order = wc_get_order(max(0, (int)$request['order']));
			if (!$order instanceof \WC_Order) return $none;
			$customerId = (int)$order->get_customer_id();
			if ($customerId <= 0) return array_replace($none, ['guestEmail' => (string)$order->get_billing_email()]);
			return ['customerId' => (string)$customerId, 'error' => '', 'guestEmail' => ''];
		}
		$userId = max(0, (int)($request['user'] ?? 0));
		if (!$can('edit_users') || ($userId > 0 && !$can('edit_user', $userId))) return array_replace($none, ['error' => 'forbidden_view']);
		$user = $userId > 0 ? get_userdata($userId) : false;
		if (!$user || !self::isCustomer($user)) return $none;
		return ['customerId' => (string)$userId, 'error' => '', 'guestEmail' => ''];
	}

	/** @param callable(string, mixed...): bool $can */
	public static function canAdjust(callable $can): bool {
		return (bool)$can('manage_woocommerce');
	}

	/**
	 * A WooCommerce customer, by the rule CustomerHooks sends them by: the `customer` role, or whom the filter
	 * `lojal_send_customer` adds (editors, shop managers and administrators are left out by default).
	 */
	public static function isCustomer(object $user): bool {
		return (bool)apply_filters('lojal_send_customer', in_array('customer', (array)($user->roles ?? []), true), $user);
	}
}
