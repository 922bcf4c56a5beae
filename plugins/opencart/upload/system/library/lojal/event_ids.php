<?php
declare(strict_types=1);

namespace Lojal\OpenCart;

/**
 * Event ids that are stable per business transition, so a retried or repeated delivery is a duplicate at the
 * service, never a second award: the same order reaching "completed" twice yields the same id.
 */
final class EventIds {
	public static function order(string $orderId, string $type): string {
		return 'opencart:order:' . $orderId . ':' . $type;
	}

	/** The order id an order event's id names, or null for another kind of event. */
	public static function orderIdOf(string $eventId): ?int {
		return preg_match('/^opencart:order:(\d+):/', $eventId, $m) ? (int)$m[1] : null;
	}

	public static function returned(string $returnId): string {
		return 'opencart:return:' . $returnId . ':refunded';
	}

	/** A customer's profile changes many times: the id follows the content, so only a real change is applied. */
	public static function customer(string $customerId, array $customer): string {
		return 'opencart:customer:' . $customerId . ':' . substr(hash('sha256', Json::encode($customer)), 0, 16);
	}
}
