<?php
declare(strict_types=1);

namespace Lojal\OpenCart;

/**
 * Which Lojal order event an OpenCart order status means, from the owner's mapping (lists of status ids).
 * When a status sits in several lists the strongest wins: refunded, cancelled, completed, paid.
 */
final class StatusMap {
	/** @param array{paid?:array, completed?:array, cancelled?:array, refunded?:array} $mapping */
	public function __construct(private array $mapping) {}

	/**
	 * Defaults: paid from the shop's processing list (less the others, and less `$placed`, the status a new order
	 * gets before any payment: Pending, 1, in a default shop, which OpenCart lists as processing), completed from its
	 * complete list, cancelled and refunded from OpenCart's own status ids.
	 */
	public static function defaults(array $processing, array $complete, int $placed = 0): array {
		$refunded = [11, 12, 13];
		$cancelled = [7, 8, 10, 14, 16];
		$complete = array_values(array_map('intval', $complete));
		$paid = array_values(array_diff(array_map('intval', $processing), $complete, $refunded, $cancelled, [$placed]));
		return ['paid' => $paid, 'completed' => $complete, 'cancelled' => $cancelled, 'refunded' => $refunded];
	}

	public function typeFor(int $statusId): ?string {
		foreach (['refunded' => 'order.refunded', 'cancelled' => 'order.cancelled', 'completed' => 'order.completed', 'paid' => 'order.paid'] as $key => $type) {
			if (in_array($statusId, array_map('intval', $this->mapping[$key] ?? []), true)) return $type;
		}
		return null;
	}

	/** The order's `status` word in the payload. */
	public function statusWord(int $statusId): string {
		return match ($this->typeFor($statusId)) {
			'order.refunded' => 'refunded',
			'order.cancelled' => 'cancelled',
			'order.completed' => 'complete',
			'order.paid' => 'paid',
			default => 'pending',
		};
	}
}
