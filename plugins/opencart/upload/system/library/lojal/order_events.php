<?php
declare(strict_types=1);

namespace Lojal\OpenCart;

/**
 * Which events an order's history change means, and each event's body, from OpenCart's order model (handed in as
 * callables) and the shop's tables. Used by the order event, and by the cron for events kept "to be built".
 */
final class OrderEvents {
	/** @var callable(int):array|false */
	private $getOrder;
	/** @var callable(int):array */
	private $getProducts;
	/** @var callable(int):array */
	private $getTotals;

	public function __construct(callable $getOrder, callable $getProducts, callable $getTotals, private OrderReader $reader, private StatusMap $map, private ?RedemptionStore $redemptions = null) {
		$this->getOrder = $getOrder;
		$this->getProducts = $getProducts;
		$this->getTotals = $getTotals;
	}

	/** The event types this change means: order.placed on the first history, then the type its status maps to. */
	public function types(int $orderId): array {
		$row = ($this->getOrder)($orderId);
		if (!$row || (int)$row['order_status_id'] === 0) return [];
		$types = $this->reader->isFirstHistory($orderId) ? ['order.placed'] : [];
		$type = $this->map->typeFor((int)$row['order_status_id']);
		if ($type !== null) $types[] = $type;
		return $types;
	}

	/** The signed-to-be body of one event, built from the order as it is now. */
	public function body(int $orderId, string $type): string {
		$row = ($this->getOrder)($orderId);
		if (!$row) throw new \RuntimeException('Order ' . $orderId . ' not found');
		$redeemed = CartHold::pointsRedeemed($this->redemptions?->forOrder($orderId));
		$order = $this->reader->order($row, ($this->getProducts)($orderId), ($this->getTotals)($orderId), $this->map->statusWord((int)$row['order_status_id']), $redeemed);
		$data = ['order' => $order];
		if ($type === 'order.refunded') $data['refund'] = $this->reader->builder()->refundForOrder($order);
		$id = EventIds::order((string)$orderId, $type);
		return Json::encode(PayloadBuilder::envelope($id, $type, gmdate('Y-m-d\TH:i:s\Z'), $data));
	}

	/** The cron's builder for kept events: the order id is read back from the event id. */
	public function bodyFor(string $eventId, string $type): string {
		$orderId = EventIds::orderIdOf($eventId);
		if ($orderId === null) throw new \InvalidArgumentException('Not an order event: ' . $eventId);
		return $this->body($orderId, $type);
	}

	/**
	 * Sends each event, or keeps the ones whose body cannot be built as "to be built", so none is lost.
	 * @param callable(int,string):string $build
	 */
	public static function dispatch(Outbox $outbox, int $orderId, array $types, callable $build): void {
		foreach ($types as $type) {
			$id = EventIds::order((string)$orderId, $type);
			try {
				$body = $build($orderId, $type);
			} catch (\Throwable $e) {
				$outbox->later($id, $type, $e->getMessage());
				continue;
			}
			$outbox->dispatch($id, $type, $body);
		}
	}
}
