<?php
declare(strict_types=1);

use Lojal\OpenCart\CartHold;
use Lojal\OpenCart\OrderEvents;
use Lojal\OpenCart\OrderReader;
use Lojal\OpenCart\RedemptionStore;
use Lojal\OpenCart\StatusMap;
use PHPUnit\Framework\TestCase;

final class CartHoldTest extends TestCase {
	private function cart(): array {
		return [
			['product_id' => 40, 'option' => [], 'quantity' => 2, 'total' => 202.0],
			['product_id' => 30, 'option' => [['product_option_id' => 226, 'value' => 'Red']], 'quantity' => 1, 'total' => 100.0],
		];
	}

	public function testTheFingerprintFollowsTheCartNotTheOrderOfItsLines(): void {
		$fp = CartHold::fingerprint($this->cart(), 7, 'USD');
		$this->assertSame($fp, CartHold::fingerprint(array_reverse($this->cart()), 7, 'USD'));
		$changes = [
			'quantity' => fn(array $c) => [array_merge($c[0], ['quantity' => 3]), $c[1]],
			'option' => fn(array $c) => [$c[0], array_merge($c[1], ['option' => [['product_option_id' => 226, 'value' => 'Blue']]])],
			'price' => fn(array $c) => [array_merge($c[0], ['total' => 190.0]), $c[1]],
			'line removed' => fn(array $c) => [$c[0]],
			'line added' => fn(array $c) => [...$c, ['product_id' => 41, 'option' => [], 'quantity' => 1, 'total' => 100.0]],
		];
		foreach ($changes as $what => $change) $this->assertNotSame($fp, CartHold::fingerprint($change($this->cart()), 7, 'USD'), $what);
		$this->assertNotSame($fp, CartHold::fingerprint($this->cart(), 8, 'USD'), 'another customer');
		$this->assertNotSame($fp, CartHold::fingerprint($this->cart(), 7, 'EUR'), 'another currency');
	}

	public function testTheDiscountIsTheHoldsAmountNeverMoreThanTheOrderTotal(): void {
		foreach ([[1000, 237.8, 2, 10.0], [1000, 7.5, 2, 7.5], [1000, 0.0, 2, 0.0], [1000, -3.0, 2, 0.0], [1234, 500.0, 2, 12.34], [500, 1000.0, 0, 500.0]] as [$amount, $total, $decimals, $want]) {
			$this->assertSame($want, CartHold::discount($amount, $total, $decimals), "$amount on $total");
		}
	}

	public function testAHoldAppliesOnlyToItsCustomerCartAndUntilItExpires(): void {
		$fp = CartHold::fingerprint($this->cart(), 7, 'USD');
		$hold = CartHold::fromAnswer(['id' => 'red_1', 'status' => 'held', 'points' => 500, 'amount' => 500, 'expiresAt' => '2026-12-02T05:00:00Z'], 7, $fp);
		$before = strtotime('2026-12-02T04:59:00Z');
		$this->assertTrue(CartHold::applies($hold, 7, $fp, $before));
		$this->assertFalse(CartHold::applies($hold, 7, $fp, strtotime('2026-12-02T05:00:00Z')), 'expired');
		$this->assertFalse(CartHold::applies($hold, 7, 'other', $before), 'cart changed');
		$this->assertFalse(CartHold::applies($hold, 8, $fp, $before), 'another customer');
		$this->assertFalse(CartHold::applies($hold, 0, $fp, $before), 'a guest');
		$this->assertFalse(CartHold::applies(null, 7, $fp, $before));
	}

	public function testTheOrderEventCarriesTheHoldItSpentWithTheAmountOfItsTotalLine(): void {
		$f = lojal_fixture('order-42.json');
		$db = new class {
			public function query(string $sql): object {
				$row = str_contains($sql, 'decimal_place') ? ['decimal_place' => 2] : [];
				return (object)['row' => $row, 'rows' => [], 'num_rows' => str_contains($sql, 'SHOW COLUMNS') ? 1 : 0];
			}
			public function escape(string $v): string { return addslashes($v); }
		};
		$store = new class implements RedemptionStore {
			public function forOrder(int $orderId): ?array { return $orderId === 42 ? ['redemption_id' => 'red_abc', 'points' => '1000'] : null; }
		};
		$map = new StatusMap(['paid' => [2], 'completed' => [5], 'cancelled' => [7], 'refunded' => [11]]);
		$events = fn(?RedemptionStore $s) => new OrderEvents(fn() => $f['order'], fn() => $f['products'], fn() => $f['totals'], new OrderReader($db, 'oc_', 'USD', 'UTC'), $map, $s);
		$body = json_decode($events($store)->body(42, 'order.placed'), true);
		$this->assertSame(['redemptionId' => 'red_abc', 'points' => 1000, 'amount' => 1000], $body['data']['order']['pointsRedeemed']);
		$this->assertSame('opencart:order:42:order.placed', $body['id']);
		$this->assertNull(json_decode($events(null)->body(42, 'order.placed'), true)['data']['order']['pointsRedeemed']);
	}
}
