<?php
declare(strict_types=1);

use Lojal\WooCommerce\Installer;
use Lojal\WooCommerce\Plugin;
use PHPUnit\Framework\TestCase;

/**
 * The Store API's cart data the plugin adds, as WooCommerce keeps it: ExtendSchema holds one data callback per
 * endpoint and namespace, a later registration replacing an earlier one. The earn figure ("This order earns N
 * points") and the spending box must each keep theirs, or the blocks lose one of them.
 */
final class StoreApiDataTest extends TestCase {
	protected function setUp(): void {
		WpStub::reset();
		SpendStub::reset();
		update_option(Installer::DB_VERSION, Installer::SCHEMA);
	}

	public function testTheEarnFigureAndTheSpendingBoxEachKeepTheirCartData(): void {
		Plugin::boot('/wp-content/plugins/lojal/lojal.php');
		WpStub::fire('woocommerce_blocks_loaded');
		$kept = [];
		foreach (SpendStub::$storeApi['data'] ?? [] as $args) $kept[$args['endpoint']][$args['namespace']] = $args;
		$fields = array_map(static fn(array $args): array => array_keys(($args['schema_callback'])()), $kept['cart'] ?? []);
		$this->assertCount(2, $fields, 'two namespaces on the cart endpoint');
		$this->assertSame(['points', 'text'], $fields['lojal'] ?? null, 'the earn figure, which storefront-blocks.js reads as extensions.lojal');
		$this->assertContains('state', $fields['lojal_spend'] ?? [], 'the spending box, which spend-blocks.js reads as extensions.lojal_spend');
		$this->assertSame(['lojal_spend'], array_column(SpendStub::$storeApi['update'] ?? [], 'namespace'), 'Use points and Remove');
	}

	public function testTheBlocksScriptsReadTheNamespacesThePhpWrites(): void {
		$assets = __DIR__ . '/../lojal/assets/';
		$this->assertStringContainsString('props.extensions.lojal;', (string)file_get_contents($assets . 'storefront-blocks.js'));
		$spend = (string)file_get_contents($assets . 'spend-blocks.js');
		$this->assertStringContainsString('props.extensions.lojal_spend)', $spend);
		$this->assertStringContainsString("extensionCartUpdate({ namespace: 'lojal_spend'", $spend);
	}
}
