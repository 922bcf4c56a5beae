<?php
declare(strict_types=1);

namespace Lojal\WooCommerce\Core;

/**
 * The events the plugin sends, built once: each is its stable id, its type and the exact JSON body that is stored,
 * signed and sent (API.md "Events from storefronts").
 */
final class Events {
	/** A status mapping's kind → the event it sends ("refunded" is a refund of what is left, below). */
	public const ORDER_TYPES = ['placed' => 'order.placed', 'paid' => 'order.paid', 'completed' => 'order.completed', 'cancelled' => 'order.cancelled'];

	/**
	 * The event an order's new status sends (StatusMap's kind), or null. A status mapped to "refunded" refunds
	 * what the order's WooCommerce refunds have not (WooCommerce itself refunds the rest when an order is set to
	 * Refunded, and each of its refunds is sent on its own), so it sends nothing when nothing is left.
	 * @return ?array{id:string, type:string, body:string}
	 */
	public static function forStatus(array $order, string $kind, string $occurredAt): ?array {
		$orderId = (string)$order['id'];
		$payload = OrderPayload::forCurrency((string)$order['currency']);
		if ($kind === 'refunded') {
			$left = $payload->remainingRefund($order);
			if ($left <= 0) return null;
			return self::build(EventIds::order($orderId, 'refunded'), 'order.refunded', $occurredAt, [
				'order' => $payload->order($order),
				'refund' => ['id' => 'status-refunded-' . $orderId, 'amount' => $left],
			]);
		}
		if (!isset(self::ORDER_TYPES[$kind])) return null;
		return self::build(EventIds::order($orderId, $kind), self::ORDER_TYPES[$kind], $occurredAt, ['order' => $payload->order($order)]);
	}

	/** @return array{id:string, type:string, body:string} */
	public static function forRefund(array $order, array $refund, string $occurredAt): array {
		$payload = OrderPayload::forCurrency((string)$order['currency']);
		return self::build(EventIds::refund((string)$order['id'], (string)$refund['id']), 'order.refunded', $occurredAt, [
			'order' => $payload->order($order),
			'refund' => $payload->refund($refund),
		]);
	}

	/**
	 * `customer.upserted` for a registered customer ({id, email, firstName, lastName, locale}): the account's
	 * e-mail counts as verified, so the service attaches the points of that e-mail's guest orders (D10).
	 * @return array{id:string, type:string, body:string}
	 */
	public static function customer(array $user, string $occurredAt): array {
		$customer = [
			'id' => (string)$user['id'],
			'email' => OrderPayload::email((string)($user['email'] ?? '')),
			'emailVerified' => true,
			'firstName' => self::orNull($user['first_name'] ?? ''),
			'lastName' => self::orNull($user['last_name'] ?? ''),
			'locale' => OrderPayload::locale((string)($user['locale'] ?? '')),
		];
		$id = EventIds::customer($customer['id'], $customer);
		return ['id' => $id, 'type' => 'customer.upserted', 'body' => Json::encode(OrderPayload::envelope($id, 'customer.upserted', $occurredAt, ['customer' => $customer]))];
	}

	/** @return array{id:string, type:string, body:string} */
	private static function build(string $id, string $type, string $occurredAt, array $data): array {
		return ['id' => $id, 'type' => $type, 'body' => Json::encode(OrderPayload::envelope($id, $type, $occurredAt, $data))];
	}

	private static function orNull(mixed $value): ?string {
		$text = trim((string)$value);
		return $text === '' ? null : $text;
	}
}
