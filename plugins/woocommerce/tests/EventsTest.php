<?php
declare(strict_types=1);

use Lojal\WooCommerce\Core\EventIds;
use Lojal\WooCommerce\Core\Events;
use PHPUnit\Framework\TestCase;

final class EventsTest extends TestCase {
	private const AT = '2026-11-20T10:05:00Z';

	public function testAStatusSendsItsMappedEventUnderAnIdStablePerTransition(): void {
		$event = Events::forStatus(lojal_fixture('order-101.json'), 'paid', self::AT);
		$this->assertSame('woocommerce:order:101:paid', $event['id']);
		$this->assertSame('order.paid', $event['type']);
		$body = json_decode($event['body'], true);
		$this->assertSame(['id' => $event['id'], 'type' => 'order.paid', 'occurredAt' => self::AT], array_slice($body, 0, 3));
		$this->assertSame(lojal_fixture('order-101.golden.json'), $body['data']['order']);
		// The same transition later (a retry, a status set again): the same id, so the service sees a duplicate.
		$this->assertSame($event['id'], Events::forStatus(lojal_fixture('order-101.json'), 'paid', '2026-11-21T00:00:00Z')['id']);
	}

	public function testEachKindHasItsType(): void {
		$f = lojal_fixture('order-101.json');
		foreach (['placed' => 'order.placed', 'completed' => 'order.completed', 'cancelled' => 'order.cancelled'] as $kind => $type) {
			$event = Events::forStatus($f, $kind, self::AT);
			$this->assertSame([EventIds::order('101', $kind), $type], [$event['id'], $event['type']]);
		}
		$this->assertNull(Events::forStatus($f, 'shipped', self::AT));
	}

	public function testTheBodyIsEncodedOnceWithUnescapedText(): void {
		$body = Events::forStatus(lojal_fixture('order-101.json'), 'paid', self::AT)['body'];
		$this->assertStringContainsString('"lastName":"Nowak & Co"', $body);
		$this->assertStringContainsString('"placedAt":"2026-11-20T10:00:00Z"', $body);
	}

	public function testARefundIsSentUnderTheRefundsOwnId(): void {
		$event = Events::forRefund(lojal_fixture('order-101.json'), lojal_fixture('refund-201.json'), self::AT);
		$this->assertSame(['woocommerce:order:101:refund:201', 'order.refunded'], [$event['id'], $event['type']]);
		$data = json_decode($event['body'], true)['data'];
		$this->assertSame('201', $data['refund']['id']);
		$this->assertSame('101', $data['order']['id']);
	}

	public function testAStatusMappedToRefundedRefundsWhatIsLeftOrNothing(): void {
		$f = lojal_fixture('order-101.json');
		$f['refunds'] = [['id' => 201, 'total' => '-17.88']];
		$event = Events::forStatus($f, 'refunded', self::AT);
		$this->assertSame(['woocommerce:order:101:refunded', 'order.refunded'], [$event['id'], $event['type']]);
		$this->assertSame(['id' => 'status-refunded-101', 'amount' => 3612], json_decode($event['body'], true)['data']['refund']);
		$f['refunds'][] = ['id' => 202, 'total' => '-36.12'];
		$this->assertNull(Events::forStatus($f, 'refunded', self::AT));
	}

	public function testACustomersIdFollowsTheContent(): void {
		$user = ['id' => 7, 'email' => 'ana@example.com', 'first_name' => 'Ana', 'last_name' => '', 'locale' => 'ro_RO'];
		$event = Events::customer($user, self::AT);
		$this->assertSame('customer.upserted', $event['type']);
		$this->assertMatchesRegularExpression('/^woocommerce:customer:7:[0-9a-f]{16}$/', $event['id']);
		$this->assertSame(['id' => '7', 'email' => 'ana@example.com', 'emailVerified' => true, 'firstName' => 'Ana', 'lastName' => null, 'locale' => 'ro'], json_decode($event['body'], true)['data']['customer']);
		$this->assertSame($event['id'], Events::customer($user, '2026-12-01T00:00:00Z')['id']);
		$this->assertNotSame($event['id'], Events::customer(['email' => 'ana@example.org'] + $user, self::AT)['id']);
	}
}
