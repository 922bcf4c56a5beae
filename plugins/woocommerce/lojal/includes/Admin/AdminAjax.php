<?php
declare(strict_types=1);

namespace Lojal\WooCommerce\Admin;

use Lojal\WooCommerce\Numbers;
use Lojal\WooCommerce\Core\ConnectionTest;
use Lojal\WooCommerce\Core\PointsImport;
use Lojal\WooCommerce\Feature;
use Lojal\WooCommerce\Services;
use Lojal\WooCommerce\Settings;

/** The settings tab's AJAX: test connection, one batch of the points import, retry failed events. */
final class AdminAjax implements Feature {
	public const NONCE = 'lojal_admin';

	public function __construct(private Services $services) {}

	public function register(): void {
		add_action('wp_ajax_lojal_test_connection', [$this, 'testConnection']);
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

	/** One batch (POST source, offset) of one source's balances sent to POST /v1/imports. */
	public function importPoints(): void {
		$this->authorize();
		global $wpdb;
		$source = sanitize_key(wp_unslash((string)($_POST['source'] ?? ''))); // phpcs:ignore WordPress.Security.NonceVerification
		$offset = max(0, (int)($_POST['offset'] ?? 0)); // phpcs:ignore WordPress.Security.NonceVerification
		$sources = new PointsSources($wpdb);
		if (!in_array($source, PointsImport::SOURCES, true) || !$sources->present($source)) {
			wp_send_json_error(['message' => __('That points plugin was not found in this shop.', 'lojal')]);
		}
		$client = $this->services->client(null, 20.0);
		if ($client === null) wp_send_json_error(['message' => __('Fill in and save the service URL and the API key first.', 'lojal')]);
		$progress = PointsImport::progress($offset, PointsImport::BATCH, $sources->count($source));
		$sent = PointsImport::send($client, PointsImport::ndjson($source, $sources->rows($source, $offset, PointsImport::BATCH)));
		if (!$sent['ok']) {
			/* translators: %s: the service's answer */
			wp_send_json_error(['message' => sprintf(__('Lojal did not take the import: %s', 'lojal'), $sent['error'])]);
		}
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
