<?php
declare(strict_types=1);

namespace Lojal\WooCommerce\Admin;

use Lojal\WooCommerce\Numbers;
use Lojal\WooCommerce\Core\ConnectionTest;
use Lojal\WooCommerce\Core\PointsImport;
use Lojal\WooCommerce\Feature;
use Lojal\WooCommerce\Services;
use Lojal\WooCommerce\Settings;

/** The settings tab's AJAX: test connection, the points import (its start, then one batch at a time), retry failed events. */
final class AdminAjax implements Feature {
	public const NONCE = 'lojal_admin';

	public function __construct(private Services $services) {}

	public function register(): void {
		add_action('wp_ajax_lojal_test_connection', [$this, 'testConnection']);
		add_action('wp_ajax_lojal_import_start', [$this, 'importStart']);
		add_action('wp_ajax_lojal_import_points', [$this, 'importPoints']);
		add_action('wp_ajax_lojal_retry_failed', [$this, 'retryFailed']);
	}

	/** With the form's values (saved or not): the posted URL, key and secret, else the saved ones. */
	public function testConnection(): void {
		$this->authorize();
		$posted = ['url' => Settings::URL, 'apiKey' => Settings::API_KEY, 'secret' => Settings::SECRET];
		$values = [];
		foreach ($posted as $field => $option) {
			$value = isset($_POST[$field]) ? trim(sanitize_text_field(wp_unslash((string)$_POST[$field]))) : ''; // phpcs:ignore WordPress.Security.NonceVerification
			if ($value !== '') $values[$option] = $value;
		}
		$settings = new Settings(static fn(string $option, mixed $default): mixed => $values[$option] ?? get_option($option, $default));
		$r = ConnectionTest::run($this->services->client($settings), $settings->secret(), time());
		if (!$r['ok']) wp_send_json_error(['message' => TestWords::failure($r['step'], $r['error'])]);
		wp_send_json_success(['message' => TestWords::success((array)$r['program'], get_woocommerce_currency())]);
	}

	/**
	 * Starts the import: each source's customers with points are counted once, here, and kept with the import's
	 * state (Settings::IMPORT); the batches then only move through them.
	 */
	public function importStart(): void {
		$this->authorize();
		global $wpdb;
		if ($this->services->client() === null) wp_send_json_error(['message' => __('Fill in and save the service URL and the API key first.', 'lojal')]);
		$totals = (new PointsSources($wpdb))->available();
		if (!$totals) wp_send_json_error(['message' => __('No points from WooCommerce Points and Rewards or YITH Points and Rewards were found in this shop.', 'lojal')]);
		update_option(Settings::IMPORT, ['totals' => $totals, 'done' => array_fill_keys(array_keys($totals), 0), 'startedAt' => time()], false);
		wp_send_json_success(['sources' => array_keys($totals), 'totals' => $totals, 'total' => array_sum($totals)]);
	}

	/**
	 * One batch (POST source, offset) of one source's balances sent to POST /v1/imports. Its progress is over the
	 * total counted at the start: no source is counted again (customers given points since then are imported by
	 * importing again).
	 */
	public function importPoints(): void {
		$this->authorize();
		global $wpdb;
		$source = sanitize_key(wp_unslash((string)($_POST['source'] ?? ''))); // phpcs:ignore WordPress.Security.NonceVerification
		$offset = max(0, (int)($_POST['offset'] ?? 0)); // phpcs:ignore WordPress.Security.NonceVerification
		$state = get_option(Settings::IMPORT, null);
		$total = is_array($state) ? ($state['totals'][$source] ?? null) : null;
		if (!is_int($total)) wp_send_json_error(['message' => __('The request failed. Reload the page and try again.', 'lojal')]);
		$client = $this->services->client(null, 20.0);
		if ($client === null) wp_send_json_error(['message' => __('Fill in and save the service URL and the API key first.', 'lojal')]);
		$progress = PointsImport::progress($offset, PointsImport::BATCH, $total);
		$sent = PointsImport::send($client, PointsImport::ndjson($source, (new PointsSources($wpdb))->rows($source, $offset, PointsImport::BATCH)));
		if (!$sent['ok']) {
			/* translators: %s: the service's answer */
			wp_send_json_error(['message' => sprintf(__('Lojal did not take the import: %s', 'lojal'), $sent['error'])]);
		}
		$state['done'][$source] = $progress['done'];
		update_option(Settings::IMPORT, $state, false);
		wp_send_json_success($progress + ['applied' => $sent['applied'], 'duplicates' => $sent['duplicates'], 'errors' => $sent['errors']]);
	}

	public function retryFailed(): void {
		$this->authorize();
		$n = $this->services->outbox()->retryFailed();
		/* translators: %s: number of events */
		wp_send_json_success(['message' => sprintf(_n('%s event will be sent again.', '%s events will be sent again.', $n, 'lojal'), Numbers::plain($n))]);
	}

	private function authorize(): void {
		check_ajax_referer(self::NONCE, 'nonce');
		if (!current_user_can('manage_woocommerce')) wp_send_json_error(['message' => __('You are not allowed to change the Lojal settings.', 'lojal')], 403);
	}
}
