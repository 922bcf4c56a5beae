<?php
declare(strict_types=1);

use Lojal\WooCommerce\Core\OrderPayload;
use Lojal\WooCommerce\Settings;
use Lojal\WooCommerce\Spend\OrderRelease;
use Lojal\WooCommerce\Spend\Spending;
use Lojal\WooCommerce\Spend\SpendPoints;
use PHPUnit\Framework\TestCase;

final class SpendOrderReleaseTest extends TestCase {
	private array $queued = [];

	protected function setUp(): void {
		WpStub::reset();
		WpStub::$options = [Settings::ENABLED => 'yes', Settings::URL => 'http://lojal.test', Settings::API_KEY => 'lj_sk_x', Settings::SECRET => 'lj_whsec_x'];
		SpendStub::reset(0);
		$this->queued = [];
	}

	private function release(): OrderRelease {
		return new OrderRelease(new Spending(lojal_services()), function (string $hook, array $args, string $group, bool $unique): int {
			$this->queued[] = [$hook, $args, $group, $unique];
			return 1;
		});
	}

	private static function order(array $data): SpendOrder {
		return WpStub::$orders[$data['id']] = new SpendOrder($data);
	}

	public function testAnOrderThatSpentPointsAndFailedOrWasCancelledUnpaidQueuesTheRelease(): void {
		$release = $this->release();
		$release->register();
		self::order(['id' => 301, 'meta' => [OrderPayload::REDEMPTION_META => ['redemptionId' => 'red_01', 'points' => 500, 'amount' => 500]]]);
		WpStub::fire('woocommerce_order_status_failed', 301, WpStub::$orders[301]);
		WpStub::fire('woocommerce_order_status_cancelled', 301);
		$this->assertSame([[OrderRelease::ACTION, ['red_01', 301], 'lojal', true], [OrderRelease::ACTION, ['red_01', 301], 'lojal', true]], $this->queued);
		$this->assertSame([], WpStub::$requests, 'never during the status change');
	}

	public function testAPaidOrderOrOneWithoutPointsReleasesNothing(): void {
		$paid = self::order(['id' => 302, 'date_paid' => new DateTimeImmutable(), 'meta' => [OrderPayload::REDEMPTION_META => ['redemptionId' => 'red_02', 'points' => 5]]]);
		$this->assertNull(OrderRelease::holdToRelease($paid));
		$this->assertNull(OrderRelease::holdToRelease(self::order(['id' => 303])));
		$this->assertSame('red_04', OrderRelease::holdToRelease(self::order(['id' => 304, 'meta' => [OrderPayload::REDEMPTION_META => '{"redemptionId":"red_04","points":5}']])));
		$this->release()->orderEnded(302);
		$this->release()->orderEnded(303);
		$this->release()->orderEnded(999);
		$this->assertSame([], $this->queued);
	}

	public function testTheQueuedReleaseCancelsTheHoldAtTheService(): void {
		WpStub::$http = [['response' => ['code' => 200], 'body' => '{"status":"released"}']];
		$this->release()->release('red_01', 301);
		$this->assertSame('http://lojal.test/v1/redemptions/red_01/cancel', WpStub::$requests[0]['url']);
		$this->assertSame([], WpStub::$errors);
		WpStub::$http = [['response' => ['code' => 409], 'body' => '{"code":"conflict","detail":"The redemption is committed"}']];
		$this->release()->release('red_01', 301);
		$this->assertSame([], WpStub::$errors, 'committed: the cancellation event gives the points back');
		WpStub::$http = [];
		$this->release()->release('red_01', 301);
		$this->assertStringContainsString('hold red_01 of order 301 not released (it expires by itself): cURL error 7', WpStub::$errors[0]);
	}

	public function testTheFeatureRegistersTheReleaseAction(): void {
		(new SpendPoints(lojal_services()))->register();
		$hooks = array_column(WpStub::$hooks, 1);
		foreach (['woocommerce_order_status_failed', 'woocommerce_order_status_cancelled', OrderRelease::ACTION, 'woocommerce_cart_calculate_fees',
			'woocommerce_checkout_create_order_fee_item', 'woocommerce_checkout_order_processed', 'woocommerce_store_api_checkout_order_processed',
			'woocommerce_before_cart_totals', 'woocommerce_review_order_before_payment', 'wp_ajax_lojal_spend', 'wp_ajax_nopriv_lojal_spend'] as $hook) {
			$this->assertContains($hook, $hooks, $hook);
		}
	}
}
