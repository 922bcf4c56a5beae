<?php
declare(strict_types=1);

namespace Lojal\WooCommerce\Core;

/**
 * Event ids that are stable per business transition, so a retried or repeated delivery is a duplicate at the
 * service, never a second award: the same order reaching "paid" twice, or the same refund sent twice, yields the
 * same id.
 */
final class EventIds {
	/** @param string $transition placed, paid, completed, cancelled or refunded (a status mapped to "refunded") */
	public static function order(string $orderId, string $transition): string {
		return 'woocommerce:order:' . $orderId . ':' . $transition;
	}

	public static function refund(string $orderId, string $refundId): string {
		return 'woocommerce:order:' . $orderId . ':refund:' . $refundId;
	}

	/** A customer's profile changes many times: the id follows the content, so only a real change is applied. */
	public static function customer(string $customerId, array $customer): string {
		return 'woocommerce:customer:' . $customerId . ':' . self::fingerprint($customer);
	}

	/** A short hash of a payload's content. */
	public static function fingerprint(array $payload): string {
		return substr(hash('sha256', Json::encode($payload)), 0, 16);
	}
}
