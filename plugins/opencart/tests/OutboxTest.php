<?php
declare(strict_types=1);

use Lojal\OpenCart\Outbox;
use Lojal\OpenCart\OutboxStore;
use Lojal\OpenCart\Sender;
use PHPUnit\Framework\TestCase;

final class MemoryStore implements OutboxStore {
	/** @var array<int,array> */
	public array $rows = [];
	private int $next = 1;

	public function add(string $eventId, string $type, string $body, string $status, int $attempts, int $nextAttemptAt, string $error): void {
		foreach ($this->rows as $row) if ($row['event_id'] === $eventId) return;
		$this->rows[$this->next] = ['delivery_id' => $this->next, 'event_id' => $eventId, 'type' => $type, 'body' => $body,
			'status' => $status, 'attempts' => $attempts, 'next_attempt_at' => $nextAttemptAt, 'last_error' => $error];
		$this->next++;
	}

	public function waiting(): int {
		return count(array_filter($this->rows, static fn(array $r): bool => $r['status'] === 'waiting'));
	}

	public function oldestWaiting(int $limit): array {
		return array_slice(array_values(array_filter($this->rows, static fn(array $r): bool => $r['status'] === 'waiting')), 0, $limit);
	}

	public function remove(int $deliveryId): void {
		unset($this->rows[$deliveryId]);
	}

	public function setBody(int $deliveryId, string $body): void {
		$this->rows[$deliveryId]['body'] = $body;
	}

	public function update(int $deliveryId, string $status, int $attempts, int $nextAttemptAt, string $error): void {
		$this->rows[$deliveryId] = array_merge($this->rows[$deliveryId], ['status' => $status, 'attempts' => $attempts, 'next_attempt_at' => $nextAttemptAt, 'last_error' => $error]);
	}
}

/** A service that answers with a status chosen by the test and records every body it receives. */
final class FakeService implements Sender {
	public int $status = 202;
	/** @var list<string> */
	public array $received = [];

	public function send(string $rawBody): array {
		if ($this->status !== 0) $this->received[] = $rawBody;
		$ok = $this->status >= 200 && $this->status < 300;
		return ['delivered' => $ok, 'retryable' => !$ok && \Lojal\OpenCart\RetryPolicy::isRetryable($this->status), 'status' => $this->status, 'error' => $ok ? '' : 'HTTP ' . $this->status];
	}
}

final class OutboxTest extends TestCase {
	private int $now = 1_000_000;

	private function outbox(MemoryStore $store, ?FakeService $service): Outbox {
		return new Outbox($store, $service, fn(): int => $this->now);
	}

	public function testADeliveredEventIsNotKept(): void {
		$store = new MemoryStore();
		$service = new FakeService();
		$this->assertSame('delivered', $this->outbox($store, $service)->dispatch('e1', 'order.paid', '{"id":"e1"}'));
		$this->assertSame([], $store->rows);
	}

	public function testServiceDownStoresEveryEventThenTheCronSendsEachOnceInOrder(): void {
		$store = new MemoryStore();
		$service = new FakeService();
		$service->status = 0;
		$outbox = $this->outbox($store, $service);
		$this->assertSame('waiting', $outbox->dispatch('e1', 'order.placed', 'b1'));
		$this->assertSame('waiting', $outbox->dispatch('e2', 'order.completed', 'b2'));
		$this->assertSame('waiting', $outbox->dispatch('e1', 'order.placed', 'b1'), 'the same event again is kept once');
		$this->assertCount(2, $store->rows);
		$this->assertSame(0, $store->rows[2]['attempts'], 'after the first failure in a request, the rest wait without a try');

		$this->assertSame(['sent' => 0, 'failed' => 0, 'waiting' => 2], $this->outbox($store, $service)->retryDue(), 'e1 is not due before its backoff');
		$this->now += 60;
		$this->assertSame(['sent' => 0, 'failed' => 1, 'waiting' => 2], $this->outbox($store, $service)->retryDue(), 'stops at the first failure');
		$this->assertSame(2, $store->rows[1]['attempts']);
		$this->assertSame($this->now + 300, $store->rows[1]['next_attempt_at']);

		$service->status = 202;
		$this->now += 300;
		$this->assertSame(['sent' => 2, 'failed' => 0, 'waiting' => 0], $this->outbox($store, $service)->retryDue());
		$this->assertSame(['b1', 'b2'], $service->received);
		$this->assertSame(['sent' => 0, 'failed' => 0, 'waiting' => 0], $this->outbox($store, $service)->retryDue());
		$this->assertSame(['b1', 'b2'], $service->received, 'nothing is sent twice');
	}

	public function testWhileEventsWaitANewEventQueuesBehindThem(): void {
		$store = new MemoryStore();
		$store->add('old', 'order.placed', 'b0', 'waiting', 1, $this->now + 60, 'HTTP 503');
		$service = new FakeService();
		$this->assertSame('waiting', $this->outbox($store, $service)->dispatch('e1', 'order.completed', 'b1'));
		$this->assertSame([], $service->received);
	}

	public function testARefusedPayloadIsKeptAsFailedAndDoesNotBlockOthers(): void {
		$store = new MemoryStore();
		$service = new FakeService();
		$service->status = 422;
		$this->assertSame('failed', $this->outbox($store, $service)->dispatch('e1', 'order.paid', 'b1'));
		$service->status = 202;
		$this->assertSame('delivered', $this->outbox($store, $service)->dispatch('e2', 'order.paid', 'b2'));
		$this->assertSame('HTTP 422', $store->rows[1]['last_error']);
	}

	public function testNotConfiguredKeepsEventsUntilItIs(): void {
		$store = new MemoryStore();
		$this->assertSame('waiting', $this->outbox($store, null)->dispatch('e1', 'order.paid', 'b1'));
		$this->assertSame('Not configured yet', $store->rows[1]['last_error']);
		$this->assertSame(['sent' => 0, 'failed' => 0, 'waiting' => 1], $this->outbox($store, null)->retryDue());
	}

	public function testAnEventThatCouldNotBeBuiltIsKeptThenBuiltAndSentByTheCronWithTheSameBackoff(): void {
		$store = new MemoryStore();
		$service = new FakeService();
		$outbox = $this->outbox($store, $service);
		$fails = true;
		$build = function (int $orderId, string $type) use (&$fails): string {
			if ($fails) throw new \RuntimeException('Lost connection to MySQL');
			return '{"order":' . $orderId . ',"type":"' . $type . '"}';
		};
		\Lojal\OpenCart\OrderEvents::dispatch($outbox, 42, ['order.placed', 'order.paid'], $build);
		$this->assertSame([], $service->received, 'nothing is sent while the first event waits to be built');
		$this->assertCount(2, $store->rows);
		$this->assertSame(['opencart:order:42:order.placed', 'order.placed', ''], [$store->rows[1]['event_id'], $store->rows[1]['type'], $store->rows[1]['body']]);
		$this->assertSame('Not built: Lost connection to MySQL', $store->rows[1]['last_error']);
		$this->assertSame($this->now + 60, $store->rows[1]['next_attempt_at']);

		$cron = fn(): array => $this->outbox($store, $service)->retryDue(50, fn(string $id, string $type): string => $build(\Lojal\OpenCart\EventIds::orderIdOf($id), $type));
		$this->assertSame(['sent' => 0, 'failed' => 0, 'waiting' => 2], $cron(), 'not due before its backoff');
		$this->now += 60;
		$this->assertSame(['sent' => 0, 'failed' => 1, 'waiting' => 2], $cron(), 'still not buildable: backed off again');
		$this->assertSame([2, $this->now + 300, ''], [$store->rows[1]['attempts'], $store->rows[1]['next_attempt_at'], $store->rows[1]['body']]);

		$fails = false;
		$this->now += 300;
		$this->assertSame(['sent' => 2, 'failed' => 0, 'waiting' => 0], $cron());
		$this->assertSame(['{"order":42,"type":"order.placed"}', '{"order":42,"type":"order.paid"}'], $service->received, 'built, then sent in order, once');
	}

	public function testABuiltBodyIsKeptWhenTheServiceIsDownSoItIsNotBuiltAgain(): void {
		$store = new MemoryStore();
		$store->add('opencart:order:7:order.paid', 'order.paid', '', 'waiting', 1, $this->now, 'Not built: x');
		$service = new FakeService();
		$service->status = 503;
		$builds = 0;
		$build = function () use (&$builds): string { $builds++; return 'b7'; };
		$this->assertSame(['sent' => 0, 'failed' => 1, 'waiting' => 1], $this->outbox($store, $service)->retryDue(50, $build));
		$this->assertSame('b7', $store->rows[1]['body']);
		$service->status = 202;
		$this->now += 3600;
		$this->assertSame(['sent' => 1, 'failed' => 0, 'waiting' => 0], $this->outbox($store, $service)->retryDue(50, $build));
		$this->assertSame(1, $builds);
	}

	public function testOrderIdIsReadBackFromAnOrderEventId(): void {
		$this->assertSame(42, \Lojal\OpenCart\EventIds::orderIdOf(\Lojal\OpenCart\EventIds::order('42', 'order.refunded')));
		$this->assertNull(\Lojal\OpenCart\EventIds::orderIdOf('opencart:return:3:refunded'));
	}
}
