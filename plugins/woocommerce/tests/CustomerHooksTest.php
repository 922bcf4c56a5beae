<?php
declare(strict_types=1);

use Lojal\WooCommerce\Customers\CustomerHooks;
use Lojal\WooCommerce\Settings;
use PHPUnit\Framework\TestCase;

final class CustomerHooksTest extends TestCase {
	private MemoryEventStore $store;

	protected function setUp(): void {
		WpStub::reset();
		update_option(Settings::ENABLED, 'yes');
		$this->store = new MemoryEventStore();
		(new CustomerHooks(lojal_services($this->store)))->register();
		WpStub::$users[7] = (object)['ID' => 7, 'user_email' => 'ana@example.com', 'roles' => ['customer']];
		WpStub::$userMeta[7] = ['billing_first_name' => 'Ana', 'last_name' => 'Nowak', 'locale' => 'ru_RU'];
	}

	private function customers(): array {
		return array_map(static fn(array $row): array => json_decode($row['body'], true)['data']['customer'], array_values($this->store->rows));
	}

	public function testARegisteredCustomerIsUpsertedWithAVerifiedEmail(): void {
		WpStub::fire('woocommerce_created_customer', 7, [], false);
		$this->assertSame([['id' => '7', 'email' => 'ana@example.com', 'emailVerified' => true, 'firstName' => 'Ana', 'lastName' => 'Nowak', 'locale' => 'ru']], $this->customers());
	}

	public function testOverlappingHooksQueueOnlyRealChanges(): void {
		WpStub::fire('user_register', 7);
		WpStub::fire('woocommerce_created_customer', 7, [], false);
		WpStub::fire('woocommerce_update_customer', 7, null);
		WpStub::fire('profile_update', 7, null);
		$this->assertCount(1, $this->store->rows);
		// Sent (its row gone), then the same profile saved again: nothing new to tell the service.
		$this->store->rows = [];
		WpStub::fire('woocommerce_update_customer', 7, null);
		$this->assertSame([], $this->store->rows);
		WpStub::$userMeta[7]['first_name'] = 'Anna';
		WpStub::fire('profile_update', 7, null);
		$this->assertSame(['Anna'], array_column($this->customers(), 'firstName'));
	}

	public function testUsersWhoAreNotCustomersAreLeftOutUnlessTheFilterSaysSo(): void {
		WpStub::$users[3] = (object)['ID' => 3, 'user_email' => 'editor@example.com', 'roles' => ['editor']];
		WpStub::fire('profile_update', 3, null);
		$this->assertSame([], $this->store->rows);
		add_filter('lojal_send_customer', static fn(bool $send, object $user): bool => true, 10, 2);
		WpStub::fire('profile_update', 3, null);
		$this->assertSame(['editor@example.com'], array_column($this->customers(), 'email'));
	}

	public function testNothingWhileTheStatusIsOff(): void {
		update_option(Settings::ENABLED, 'no');
		WpStub::fire('woocommerce_created_customer', 7, [], false);
		$this->assertSame([], $this->store->rows);
	}
}
