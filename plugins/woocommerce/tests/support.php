<?php
declare(strict_types=1);

use Lojal\WooCommerce\Core\EventStore;
use Lojal\WooCommerce\Core\Scheduler;
use Lojal\WooCommerce\Spend\SpendSession;

/** The event table in memory. */
final class MemoryEventStore implements EventStore {
	/** @var array<string, array> */
	public array $rows = [];

	public function add(string $eventId, string $type, string $body, int $now): bool {
		if (isset($this->rows[$eventId])) return false;
		$this->rows[$eventId] = ['event_id' => $eventId, 'type' => $type, 'body' => $body, 'status' => 'waiting', 'attempts' => 0, 'next_attempt_at' => $now, 'last_error' => '', 'updated_at' => $now];
		return true;
	}

	public function find(string $eventId): ?array {
		return $this->rows[$eventId] ?? null;
	}

	public function update(string $eventId, string $status, int $attempts, int $nextAttemptAt, string $error, int $now): void {
		$this->rows[$eventId] = ['status' => $status, 'attempts' => $attempts, 'next_attempt_at' => $nextAttemptAt, 'last_error' => $error, 'updated_at' => $now] + $this->rows[$eventId];
	}

	public function remove(string $eventId): void {
		unset($this->rows[$eventId]);
	}

	public function waitingIds(int $limit): array {
		return array_slice(array_keys(array_filter($this->rows, static fn(array $r): bool => $r['status'] === 'waiting')), 0, $limit);
	}

	public function counts(): array {
		$statuses = array_column($this->rows, 'status');
		return ['waiting' => count(array_keys($statuses, 'waiting', true)), 'failed' => count(array_keys($statuses, 'failed', true))];
	}

	public function failed(int $limit, bool $oldestFirst = false): array {
		$rows = array_values(array_filter($this->rows, static fn(array $r): bool => $r['status'] === 'failed'));
		if (!$oldestFirst) usort($rows, static fn(array $a, array $b): int => $b['updated_at'] <=> $a['updated_at']);
		return array_slice($rows, 0, $limit);
	}
}

/** A shopper's session in memory. */
final class ArraySpendSession implements SpendSession {
	public array $data = [];

	public function get(string $key): mixed {
		return $this->data[$key] ?? null;
	}

	public function set(string $key, mixed $value): void {
		if ($value === null) unset($this->data[$key]);
		else $this->data[$key] = $value;
	}
}

/** Records what would be scheduled. */
final class RecordingScheduler implements Scheduler {
	/** @var list<array{0:?int, 1:string}> [when (null: soon), event id] */
	public array $calls = [];

	public function soon(string $eventId): void {
		$this->calls[] = [null, $eventId];
	}

	public function at(int $unixSeconds, string $eventId): void {
		$this->calls[] = [$unixSeconds, $eventId];
	}

	/** Replaces the event's scheduled attempts: they leave the list. */
	public function now(string $eventId): void {
		$this->calls = array_values(array_filter($this->calls, static fn(array $c): bool => $c[1] !== $eventId));
		$this->calls[] = ['now', $eventId];
	}
}

/** A transport that answers from a list and records each request. */
final class FakeTransport {
	/** @var list<array{method:string, url:string, headers:array, body:?string, timeout:float}> */
	public array $requests = [];

	/** @param list<array{status:int, body?:string, error?:string}|\Throwable> $answers */
	public function __construct(public array $answers) {}

	public function __invoke(string $method, string $url, array $headers, ?string $body, float $timeout): array {
		$this->requests[] = ['method' => $method, 'url' => $url, 'headers' => $headers, 'body' => $body, 'timeout' => $timeout];
		$answer = array_shift($this->answers) ?? ['status' => 0, 'error' => 'no answer left'];
		if ($answer instanceof \Throwable) throw $answer;
		return ['status' => $answer['status'], 'body' => $answer['body'] ?? '', 'error' => $answer['error'] ?? ''];
	}
}

/** WooCommerce objects for order 101 (tests/fixtures/order-101.json), as a shop would hold them. */
function lojal_wc_order_101(): WC_Order {
	WpStub::$terms = [11 => [15, 16], 20 => [17], 23 => [99]];
	WpStub::$users[7] = (object)['ID' => 7, 'user_email' => 'ana@example.com', 'roles' => ['customer']];
	WpStub::$userMeta[7]['locale'] = 'pl_PL';
	$order = new WC_Order([
		'id' => 101, 'order_number' => '101', 'status' => 'completed', 'currency' => 'USD', 'date_created' => 1795168800,
		'customer_id' => 7, 'billing_email' => 'ana.billing@example.com', 'billing_first_name' => 'Ana', 'billing_last_name' => 'Nowak &amp; Co',
		'shipping_total' => '5.00', 'total_tax' => '5.00', 'total' => '54.00',
		'items' => [
			'line_item' => [
				new WC_Order_Item_Product(['id' => 11, 'name' => 'Loyalty Mug', 'product_id' => 11, 'variation_id' => 0, 'quantity' => 2, 'subtotal' => '25', 'total' => '22.5', 'product' => new WC_Product(['sku' => 'LJ-MUG'])]),
				new WC_Order_Item_Product(['id' => 12, 'name' => 'Loyalty Tee - Blue, L', 'product_id' => 20, 'variation_id' => 23, 'quantity' => 1, 'subtotal' => '25.00', 'total' => '22.50', 'product' => new WC_Product(['sku' => 'LJ-TEE-BL'])]),
			],
			'fee' => [
				new WC_Order_Item_Fee(['id' => 14, 'name' => 'Gift wrap', 'total' => '2.00']),
				new WC_Order_Item_Fee(['id' => 15, 'name' => 'Loyal customer', 'total' => '-3.00']),
			],
		],
	]);
	return WpStub::$orders[101] = $order;
}

/** Refund 201 of order 101 (tests/fixtures/refund-201.json): one mug and the shipping. */
function lojal_wc_refund_201(): WC_Order_Refund {
	return WpStub::$orders[201] = new WC_Order_Refund([
		'id' => 201, 'amount' => '17.88', 'reason' => 'Broken handle',
		'items' => [
			'line_item' => [new WC_Order_Item_Product(['id' => 31, 'quantity' => -1, 'total' => '-11.25', 'total_tax' => '-1.13', 'meta' => ['_refunded_item_id' => '11']])],
			'shipping' => [new WC_Order_Item_Shipping(['id' => 32, 'quantity' => 0, 'total' => '-5.00', 'total_tax' => '-0.50', 'meta' => ['_refunded_item_id' => '13']])],
		],
	]);
}

/** The plugin's services over an outbox in memory. */
function lojal_services(?MemoryEventStore $store = null, ?RecordingScheduler $scheduler = null): Lojal\WooCommerce\Services {
	$outbox = new Lojal\WooCommerce\Core\Outbox($store ?? new MemoryEventStore(), $scheduler ?? new RecordingScheduler());
	return new Lojal\WooCommerce\Services('/plugins/lojal/lojal.php', $outbox);
}
