<?php
declare(strict_types=1);

use Lojal\WooCommerce\Admin\AdminAjax;
use Lojal\WooCommerce\Settings;
use PHPUnit\Framework\TestCase;

/** "Import existing points" through its AJAX, over the fake $wpdb (wpdb-stub.php) and wp_remote_request. */
final class ImportAjaxTest extends TestCase {
	private wpdb $db;

	protected function setUp(): void {
		WpStub::reset();
		foreach ([Settings::URL => 'https://lojal.test', Settings::API_KEY => 'k', Settings::SECRET => 's'] as $k => $v) update_option($k, $v);
		$customers = static fn(int $n, int $from): array => array_map(static fn(int $id): array => ['user_id' => (string)$id, 'email' => "c$id@example.com", 'points' => '10'], range($from, $from + $n - 1));
		$this->db = $GLOBALS['wpdb'] = new wpdb(['wc_points_rewards' => $customers(250, 1), 'yith_points' => $customers(30, 1001)]);
	}

	protected function tearDown(): void {
		unset($GLOBALS['wpdb']);
	}

	private function ajax(string $method, array $post = []): JsonSent {
		$_POST = $post;
		try {
			(new AdminAjax(lojal_services()))->$method();
		} catch (JsonSent $sent) {
			return $sent;
		}
		$this->fail('no JSON answer');
	}

	public function testTheSourcesAreCountedOnceAtTheStartAndTheBatchesOnlyMoveOn(): void {
		$start = $this->ajax('importStart');
		$this->assertTrue($start->success);
		$this->assertSame(['sources' => ['wc_points_rewards', 'yith_points'], 'totals' => ['wc_points_rewards' => 250, 'yith_points' => 30], 'total' => 280], $start->data);
		$this->assertSame(2, $this->db->counts(), 'one count per source');
		$asked = count($this->db->queries);

		$batches = [];
		foreach ($start->data['sources'] as $source) {
			for ($offset = 0; $offset !== null; $offset = $sent->data['next']) {
				WpStub::$http[] = ['response' => ['code' => 200], 'body' => '{"applied":1,"duplicates":0,"errors":[]}'];
				$sent = $this->ajax('importPoints', ['source' => $source, 'offset' => (string)$offset]);
				$this->assertTrue($sent->success, json_encode($sent->data));
				$batches[] = [$source, $sent->data['done'], $sent->data['total']];
			}
		}
		$this->assertSame([['wc_points_rewards', 100, 250], ['wc_points_rewards', 200, 250], ['wc_points_rewards', 250, 250], ['yith_points', 30, 30]], $batches);
		$this->assertSame(2, $this->db->counts(), 'no batch counts a source again');
		$inBatches = array_slice($this->db->queries, $asked);
		$this->assertCount(4, $inBatches, 'one query per batch: its rows');
		$this->assertSame([], array_filter($inBatches, static fn(string $q): bool => !str_contains($q, ' LIMIT ')));
		$this->assertSame(280, array_sum(array_map(static fn(array $r): int => substr_count($r['args']['body'], "\n"), WpStub::$requests)));
		$this->assertSame(['wc_points_rewards' => 250, 'yith_points' => 30], get_option(Settings::IMPORT)['done']);
	}

	public function testABatchOfAnImportNotStartedIsRefused(): void {
		$sent = $this->ajax('importPoints', ['source' => 'wc_points_rewards', 'offset' => '0']);
		$this->assertSame([false, 'The request failed. Reload the page and try again.'], [$sent->success, $sent->data['message']]);
		$this->assertSame([[], []], [$this->db->queries, WpStub::$requests]);
	}

	public function testAShopWithoutEitherPluginHasNothingToImport(): void {
		$this->db = $GLOBALS['wpdb'] = new wpdb();
		$sent = $this->ajax('importStart');
		$this->assertFalse($sent->success);
		$this->assertNull(get_option(Settings::IMPORT, null));
	}
}
