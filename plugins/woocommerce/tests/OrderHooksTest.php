<?php
declare(strict_types=1);

use Lojal\WooCommerce\Core\StatusMap;
use Lojal\WooCommerce\Orders\OrderHooks;
use Lojal\WooCommerce\Settings;
use PHPUnit\Framework\TestCase;

final class OrderHooksTest extends TestCase {
	private MemoryEventStore $store;
	private RecordingScheduler $scheduler;

	protected function setUp(): void {
		WpStub::reset();
		update_option(Settings::ENABLED, 'yes');
		$this->store = new MemoryEventStore();
		$this->scheduler = new RecordingScheduler();
		(new OrderHooks(lojal_services($this->store, $this->scheduler)))->register();
		lojal_wc_order_101();
	}

	private function queued(): array {
		return array_keys($this->store->rows);
	}

	public function testAStatusChangeQueuesItsMappedEventForTheBackground(): void {
		WpStub::fire('woocommerce_order_status_changed', 101, 'pending', 'processing', WpStub::$orders[101]);
		WpStub::fire('woocommerce_order_status_changed', 101, 'processing', 'completed', WpStub::$orders[101]);
		$this->assertSame(['woocommerce:order:101:paid', 'woocommerce:order:101:completed'], $this->queued());
		$this->assertSame([[null, 'woocommerce:order:101:paid'], [null, 'woocommerce:order:101:completed']], $this->scheduler->calls);
		$this->assertSame('order.completed', json_decode($this->store->rows['woocommerce:order:101:completed']['body'], true)['type']);
	}

	public function testTheSameTransitionAgainIsQueuedOnce(): void {
		WpStub::fire('woocommerce_order_status_changed', 101, 'pending', 'processing');
		WpStub::fire('woocommerce_order_status_changed', 101, 'on-hold', 'processing');
		$this->assertSame(['woocommerce:order:101:paid'], $this->queued());
	}

	public function testTheSavedMappingDecides(): void {
		update_option(StatusMap::OPTION, ['completed' => '', 'shipped' => 'completed', 'failed' => '']);
		WpStub::fire('woocommerce_order_status_changed', 101, 'processing', 'completed');
		WpStub::fire('woocommerce_order_status_changed', 101, 'pending', 'failed');
		$this->assertSame([], $this->queued());
		WpStub::fire('woocommerce_order_status_changed', 101, 'processing', 'shipped');
		$this->assertSame(['woocommerce:order:101:completed'], $this->queued());
	}

	public function testNothingIsQueuedWhileTheStatusIsOff(): void {
		update_option(Settings::ENABLED, 'no');
		WpStub::fire('woocommerce_order_status_changed', 101, 'pending', 'processing');
		WpStub::fire('woocommerce_order_refunded', 101, 201);
		$this->assertSame([], $this->queued());
	}

	public function testAnOrderCreatedWaitingForPaymentIsPlacedOnceSavedWithItsItems(): void {
		$order = WpStub::$orders[101];
		$order->data['status'] = 'on-hold';
		WpStub::fire('woocommerce_new_order', 101, $order);
		$this->assertSame([], $this->queued(), 'not before its items are saved');
		WpStub::fire('woocommerce_after_order_object_save', $order);
		WpStub::fire('woocommerce_after_order_object_save', $order);
		$this->assertSame(['woocommerce:order:101:placed'], $this->queued());
	}

	public function testAnOrderCreatedPaidIsLeftToItsStatusChange(): void {
		$order = WpStub::$orders[101];
		$order->data['status'] = 'processing';
		WpStub::fire('woocommerce_new_order', 101, $order);
		WpStub::fire('woocommerce_after_order_object_save', $order);
		$this->assertSame([], $this->queued());
	}

	public function testARefundIsQueuedWithItsIdAndLines(): void {
		lojal_wc_refund_201();
		WpStub::fire('woocommerce_order_refunded', 101, 201);
		$this->assertSame(['woocommerce:order:101:refund:201'], $this->queued());
		$refund = json_decode($this->store->rows['woocommerce:order:101:refund:201']['body'], true)['data']['refund'];
		$this->assertSame(['id' => '201', 'amount' => 1788], array_slice($refund, 0, 2));
	}

	public function testTheRefundedStatusRefundsOnlyWhatRefundsHaveNot(): void {
		WpStub::$orders[101]->data['refunds'] = [new WC_Order_Refund(['id' => 300, 'amount' => '54.00'])];
		WpStub::fire('woocommerce_order_status_changed', 101, 'completed', 'refunded');
		$this->assertSame([], $this->queued());
		WpStub::$orders[101]->data['refunds'] = [];
		WpStub::fire('woocommerce_order_status_changed', 101, 'completed', 'refunded');
		$this->assertSame(['woocommerce:order:101:refunded'], $this->queued());
	}

	public function testAFailureIsLoggedNeverThrownIntoTheCheckout(): void {
		WpStub::$orders[5] = new WC_Order(['id' => 5, 'currency' => 'USD', 'items' => ['line_item' => 'broken']]);
		WpStub::fire('woocommerce_order_status_changed', 5, 'pending', 'processing');
		$this->assertSame([], $this->queued());
		$this->assertStringContainsString('Lojal: an order event could not be queued', WpStub::$errors[0]);
	}
}
