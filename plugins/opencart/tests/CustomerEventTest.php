<?php
declare(strict_types=1);

use Lojal\OpenCart\CustomerEvent;
use Lojal\OpenCart\EventIds;
use Lojal\OpenCart\Outbox;
use Lojal\OpenCart\OutboxStore;
use Lojal\OpenCart\OrderReader;
use Lojal\OpenCart\PayloadBuilder;
use Lojal\OpenCart\Sender;
use PHPUnit\Framework\TestCase;

/** OpenCart's DB object as the reader uses it: the currency's decimals and language 2 = pl-pl. */
final class CustomerEventDb {
	public function query(string $sql): object {
		$row = str_contains($sql, 'decimal_place') ? ['decimal_place' => 2] : (str_contains($sql, '`language_id` = 2') ? ['code' => 'pl-pl'] : []);
		return (object)['row' => $row, 'rows' => $row ? [$row] : [], 'num_rows' => $row ? 1 : 0];
	}

	public function escape(string $value): string {
		return addslashes($value);
	}
}

/** Takes every body and keeps nothing. */
final class CustomerEventSink implements Sender, OutboxStore {
	/** @var list<string> */
	public array $sent = [];

	public function send(string $rawBody): array {
		$this->sent[] = $rawBody;
		return ['delivered' => true, 'retryable' => false, 'status' => 202, 'error' => ''];
	}

	public function add(string $eventId, string $type, string $body, string $status, int $attempts, int $nextAttemptAt, string $error): void {
		throw new \LogicException('nothing should wait');
	}

	public function waiting(): int {
		return 0;
	}

	public function oldestWaiting(int $limit): array {
		return [];
	}

	public function remove(int $deliveryId): void {}

	public function setBody(int $deliveryId, string $body): void {}

	public function update(int $deliveryId, string $status, int $attempts, int $nextAttemptAt, string $error): void {}
}

final class CustomerEventTest extends TestCase {
	/** A storefront account/customer getCustomer() row. */
	private const ROW = ['customer_id' => '7', 'customer_group_id' => '1', 'store_id' => '0', 'language_id' => '2', 'firstname' => 'Ana &amp; Jo',
		'lastname' => 'Nowak', 'email' => 'ana@example.com', 'telephone' => '', 'custom_field' => '[]', 'newsletter' => '1', 'status' => '1'];

	public function testTheCustomerAsTheServiceReadsIt(): void {
		$event = CustomerEvent::upserted(new PayloadBuilder('USD'), self::ROW, 'pl-pl', '2026-11-20T10:00:00Z');
		$customer = ['id' => '7', 'email' => 'ana@example.com', 'emailVerified' => true, 'firstName' => 'Ana & Jo', 'lastName' => 'Nowak', 'locale' => 'pl', 'marketingConsent' => true];
		$this->assertSame(EventIds::customer('7', $customer), $event['id']);
		$this->assertSame(['id' => $event['id'], 'type' => 'customer.upserted', 'occurredAt' => '2026-11-20T10:00:00Z', 'data' => ['customer' => $customer]], json_decode($event['body'], true));
		$off = CustomerEvent::upserted(new PayloadBuilder('USD'), ['newsletter' => '0'] + self::ROW, 'pl-pl', '2026-11-20T10:00:00Z');
		$this->assertFalse(json_decode($off['body'], true)['data']['customer']['marketingConsent']);
		$this->assertNotSame($event['id'], $off['id']);
	}

	public function testTheAdminsRowGivesTheStorefrontsEvent(): void {
		// admin customer/customer getCustomer() decodes custom_field and has the same columns.
		$admin = ['custom_field' => ['1' => 'x'], 'safe' => '0', 'commenter' => '0'] + self::ROW;
		$a = CustomerEvent::upserted(new PayloadBuilder('USD'), self::ROW, 'pl-pl', '2026-11-20T10:00:00Z');
		$b = CustomerEvent::upserted(new PayloadBuilder('USD'), $admin, 'pl-pl', '2026-11-20T10:00:00Z');
		$this->assertSame($a, $b);
	}

	public function testDispatchReadsTheLanguageAndSendsThroughTheOutbox(): void {
		$sink = new CustomerEventSink();
		$reader = new OrderReader(new CustomerEventDb(), 'oc_', 'USD', 'UTC');
		$this->assertSame('delivered', CustomerEvent::dispatch(new Outbox($sink, $sink), $reader, self::ROW, 'en-gb'));
		$this->assertCount(1, $sink->sent);
		$sent = json_decode($sink->sent[0], true);
		$this->assertSame(['customer.upserted', 'pl'], [$sent['type'], $sent['data']['customer']['locale']]);
		CustomerEvent::dispatch(new Outbox($sink, $sink), $reader, ['language_id' => '9'] + self::ROW, 'en-gb');
		$this->assertSame('en', json_decode($sink->sent[1], true)['data']['customer']['locale']);
	}
}
