<?php
declare(strict_types=1);

namespace Lojal\WooCommerce\Customers;

use Lojal\WooCommerce\Core\Events;
use Lojal\WooCommerce\Feature;
use Lojal\WooCommerce\Services;

/**
 * Customers created or changed → `customer.upserted`, queued for the background. Registering with an e-mail that
 * placed guest orders is what lets the service attach their points (D10). The hooks overlap (WooCommerce's own
 * and WordPress's), so an event is queued only when the customer's content changed since the last one (its id
 * follows the content; the last id is kept in user meta). Users who are not WooCommerce customers (editors,
 * shop managers) are left out unless the filter `lojal_send_customer` says otherwise; their orders still name them.
 */
final class CustomerHooks implements Feature {
	public const SENT_META = '_lojal_customer_event';

	public function __construct(private Services $services) {}

	public function register(): void {
		foreach (['woocommerce_created_customer', 'woocommerce_new_customer', 'woocommerce_update_customer', 'user_register', 'profile_update'] as $hook) {
			add_action($hook, [$this, 'changed'], 20, 1);
		}
	}

	public function changed(mixed $userId): void {
		if (!$this->services->settings()->enabled()) return;
		try {
			$this->queue((int)$userId);
		} catch (\Throwable $e) {
			wc_get_logger()->error('Lojal: a customer event could not be queued: ' . $e->getMessage(), ['source' => 'lojal']);
		}
	}

	private function queue(int $userId): void {
		$user = $userId > 0 ? get_userdata($userId) : false;
		if (!$user) return;
		$isCustomer = in_array('customer', (array)$user->roles, true);
		if (!apply_filters('lojal_send_customer', $isCustomer, $user)) return;
		$meta = static fn(string $key): string => (string)get_user_meta($userId, $key, true);
		$event = Events::customer([
			'id' => $userId,
			'email' => (string)$user->user_email,
			'first_name' => $meta('first_name') !== '' ? $meta('first_name') : $meta('billing_first_name'),
			'last_name' => $meta('last_name') !== '' ? $meta('last_name') : $meta('billing_last_name'),
			'locale' => get_user_locale($userId),
		], gmdate('Y-m-d\TH:i:s\Z'));
		if ($meta(self::SENT_META) === $event['id']) return;
		$this->services->outbox()->queue($event);
		update_user_meta($userId, self::SENT_META, $event['id']);
	}
}
