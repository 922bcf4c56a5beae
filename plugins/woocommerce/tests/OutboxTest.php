<?php
declare(strict_types=1);

use Lojal\WooCommerce\Core\HttpClient;
use Lojal\WooCommerce\Core\Outbox;
use Lojal\WooCommerce\Core\Sender;
use Lojal\WooCommerce\Core\Signer;
use PHPUnit\Framework\TestCase;

final class OutboxTest extends TestCase {
	private const NOW = 1764000000;
	private MemoryEventStore $store;
	private RecordingScheduler $scheduler;
	private int $now = self::NOW;

	protected function setUp(): void {
		$this->store = new MemoryEventStore();
		$this->scheduler = new RecordingScheduler();
	}

	private function outbox(): Outbox {
		return new Outbox($this->store, $this->scheduler, fn(): int => $this->now);
	}

	private function sender(FakeTransport $transport): Sender {
		return new Sender(new HttpClient('https://lojal.test/', 'lj_sk_1', $transport), 'lj_whsec_1', fn(): int => $this->now);
	}

	private function queued(): string {
		$this->outbox()->queue(['id' => 'woocommerce:order:1:paid', 'type' => 'order.paid', 'body' => '{"id":"woocommerce:order:1:paid"}']);
		return 'woocommerce:order:1:paid';
	}

	public function testQueueingKeepsTheBodyAndSchedulesItsSendingWithoutSending(): void {
		$id = $this->queued();
		$this->assertSame('{"id":"woocommerce:order:1:paid"}', $this->store->find($id)['body']);
		$this->assertSame([[null, $id]], $this->scheduler->calls);
		// The same event again (a hook firing twice) is kept and scheduled once.
		$this->assertFalse($this->outbox()->queue(['id' => $id, 'type' => 'order.paid', 'body' => '{}']));
		$this->assertCount(1, $this->scheduler->calls);
	}

	public function testASentEventIsSignedAsStoredAndRemoved(): void {
		$id = $this->queued();
		$transport = new FakeTransport([['status' => 202, 'body' => '{"id":"x","status":"applied"}']]);
		$r = $this->outbox()->run($id, $this->sender($transport));
		$this->assertSame(['sent', 202], [$r['result'], $r['status']]);
		$this->assertNull($this->store->find($id));
		$request = $transport->requests[0];
		$this->assertSame(['POST', 'https://lojal.test/v1/events'], [$request['method'], $request['url']]);
		$this->assertSame('{"id":"woocommerce:order:1:paid"}', $request['body']);
		$this->assertSame(Signer::header('lj_whsec_1', $request['body'], self::NOW), $request['headers']['Lojal-Signature']);
		$this->assertSame('Bearer lj_sk_1', $request['headers']['Authorization']);
		$this->assertLessThanOrEqual(5.0, $request['timeout']);
	}

	public function testADuplicateIsSuccess(): void {
		$id = $this->queued();
		$r = $this->outbox()->run($id, $this->sender(new FakeTransport([['status' => 202, 'body' => '{"id":"x","status":"duplicate"}']])));
		$this->assertSame('sent', $r['result']);
		$this->assertNull($this->store->find($id));
	}

	public function testAnOutageIsRetriedWithDoublingWaitsThenRecordedAsFailed(): void {
		$id = $this->queued();
		$waits = [];
		for ($i = 0; $i < 20; $i++) {
			$r = $this->outbox()->run($id, $this->sender(new FakeTransport([['status' => 0, 'error' => 'cURL error 7: Failed to connect']])));
			if ($r['result'] !== 'retry') break;
			$waits[] = $r['retryAt'] - $this->now;
			$this->assertSame([$r['retryAt'], $id], end($this->scheduler->calls));
			$this->now = $r['retryAt'];
		}
		$this->assertSame([60, 120, 240, 480, 960, 1920, 3840, 7680, 15360, 30720, 61440, 86400], $waits);
		$this->assertSame(['failed', 13], [$r['result'], $r['attempts']]);
		$this->assertSame(['status' => 'failed', 'attempts' => 13, 'last_error' => 'cURL error 7: Failed to connect'], array_intersect_key($this->store->find($id), ['status' => 0, 'attempts' => 0, 'last_error' => 0]));
		// A failed event is not sent by a stray action.
		$this->assertSame('gone', $this->outbox()->run($id, $this->sender(new FakeTransport([['status' => 202]])))['result']);
	}

	public function testTimeoutsRateLimitsAndServerErrorsAreRetried(): void {
		foreach ([408, 429, 500, 503] as $status) {
			$this->setUp();
			$id = $this->queued();
			$r = $this->outbox()->run($id, $this->sender(new FakeTransport([['status' => $status, 'body' => '{"code":"x"}']])));
			$this->assertSame('retry', $r['result'], (string)$status);
			$this->assertSame('waiting', $this->store->find($id)['status']);
		}
	}

	public function testAnyOtherClientErrorIsFinalAtOnceWithItsProblem(): void {
		foreach ([400, 401, 404, 422] as $status) {
			$this->setUp();
			$id = $this->queued();
			$r = $this->outbox()->run($id, $this->sender(new FakeTransport([['status' => $status, 'body' => '{"code":"validation_failed","detail":"bad line"}']])));
			$this->assertSame('failed', $r['result'], (string)$status);
			$this->assertSame('HTTP ' . $status . ' validation_failed: bad line', $this->store->find($id)['last_error']);
			$this->assertSame([[null, $id]], $this->scheduler->calls);
		}
	}

	public function testWithoutSettingsTheEventWaitsAsInAnOutage(): void {
		$id = $this->queued();
		$r = $this->outbox()->run($id, null);
		$this->assertSame(['retry', Outbox::NOT_CONFIGURED], [$r['result'], $r['error']]);
	}

	public function testATransportThatThrowsIsAFailureThatMayPass(): void {
		$id = $this->queued();
		$r = $this->outbox()->run($id, $this->sender(new FakeTransport([new \RuntimeException('boom')])));
		$this->assertSame(['retry', 'boom'], [$r['result'], $r['error']]);
	}

	public function testWaitingEventsCanBeSentNowRatherThanAtTheirBackoff(): void {
		$id = $this->queued();
		$retryAt = $this->outbox()->run($id, null)['retryAt'];
		$this->assertSame([[null, $id], [$retryAt, $id]], $this->scheduler->calls);
		$this->assertSame(1, $this->outbox()->sendWaitingNow());
		$this->assertSame([['now', $id]], $this->scheduler->calls, 'in place of its scheduled retry');
	}

	public function testRetryFailedSendsAgainInTheOrderTheEventsWereKept(): void {
		foreach (['e1', 'e2', 'e3'] as $i => $id) {
			$this->outbox()->queue(['id' => $id, 'type' => 'order.paid', 'body' => '{}']);
			$this->now = self::NOW + $i;
			$this->outbox()->run($id, $this->sender(new FakeTransport([['status' => 400]])));
		}
		$this->scheduler->calls = [];
		$this->assertSame(['e3', 'e2', 'e1'], array_column($this->store->failed(10), 'event_id'), 'the panel lists the newest first');
		$this->outbox()->retryFailed();
		$this->assertSame([[null, 'e1'], [null, 'e2'], [null, 'e3']], $this->scheduler->calls);
	}

	public function testRetryFailedPutsFailedEventsBackFromTheirFirstAttempt(): void {
		$id = $this->queued();
		$this->outbox()->run($id, $this->sender(new FakeTransport([['status' => 401, 'body' => '{"code":"signature_invalid"}']])));
		$this->assertSame(['waiting' => 0, 'failed' => 1], $this->store->counts());
		$this->assertSame(1, $this->outbox()->retryFailed());
		$this->assertSame(['waiting' => 1, 'failed' => 0], $this->store->counts());
		$this->assertSame(0, $this->store->find($id)['attempts']);
		$this->assertSame([null, $id], end($this->scheduler->calls));
		$this->assertSame('sent', $this->outbox()->run($id, $this->sender(new FakeTransport([['status' => 202]])))['result']);
	}
}
