<?php
declare(strict_types=1);

namespace Lojal\WooCommerce\Admin;

use Lojal\WooCommerce\Numbers;
use Lojal\WooCommerce\Queue\ActionScheduler;
use Lojal\WooCommerce\Services;

/** The settings tab's tools: Test connection, the delivery panel, Import existing points (admin.js drives them). */
final class ToolsPanel {
	public function __construct(private Services $services) {}

	public function render(): void {
		echo '<tr valign="top"><td colspan="2" class="forminp" style="padding-left:0">';
		$this->connection();
		$this->deliveries();
		$this->import();
		echo '</td></tr>';
	}

	private function connection(): void {
		echo '<h3>' . esc_html__('Test connection', 'lojal') . '</h3>';
		echo '<p>' . esc_html__('Checks the API key and the webhook secret in the form above, saved or not; nothing is recorded in Lojal.', 'lojal') . '</p>';
		echo '<p><button type="button" class="button" id="lojal-test">' . esc_html__('Test connection', 'lojal') . '</button> ';
		echo '<span id="lojal-test-result" role="status"></span></p>';
	}

	private function deliveries(): void {
		$store = $this->services->store();
		$counts = $store->exists() ? $store->counts() : ['waiting' => 0, 'failed' => 0];
		$actions = ActionScheduler::counts();
		echo '<h3>' . esc_html__('Deliveries', 'lojal') . '</h3>';
		echo '<table class="widefat striped" style="max-width:900px" id="lojal-deliveries"><tbody>';
		$this->row(__('Events waiting to be sent', 'lojal'), (string)$counts['waiting']);
		$this->row(__('Events given up on (failed)', 'lojal'), (string)$counts['failed']);
		/* translators: 1: pending actions, 2: failed actions */
		$this->row(__('Background actions (Tools → Scheduled Actions)', 'lojal'), sprintf(__('%1$s pending, %2$s failed', 'lojal'), $actions['pending'], $actions['failed']));
		$sent = $this->services->settings()->lastSent();
		$this->row(__('Last sent', 'lojal'), $sent === null ? __('None', 'lojal')
			/* translators: 1: date and time, 2: event id */
			: sprintf(__('%1$s, %2$s', 'lojal'), $this->date((int)$sent['at']), $sent['event']));
		$last = $this->services->settings()->lastError();
		$this->row(__('Last error', 'lojal'), $last === null ? __('None', 'lojal')
			/* translators: 1: date and time, 2: event id, 3: the error */
			: sprintf(__('%1$s, %2$s: %3$s', 'lojal'), $this->date((int)$last['at']), $last['event'], $last['error']));
		echo '</tbody></table>';
		$failed = $store->exists() ? $store->failed(10) : [];
		if ($failed) {
			echo '<p><strong>' . esc_html__('Failed events (newest first)', 'lojal') . '</strong></p><ul>';
			foreach ($failed as $row) {
				/* translators: 1: number of attempts, 2: the last error */
				echo '<li><code>' . esc_html($row['event_id']) . '</code> ' . esc_html(sprintf(_n('(%1$s attempt): %2$s', '(%1$s attempts): %2$s', $row['attempts'], 'lojal'), Numbers::plain((int)$row['attempts']), $row['last_error'])) . '</li>';
			}
			echo '</ul>';
		}
		echo '<p><button type="button" class="button" id="lojal-retry"' . ($counts['failed'] > 0 ? '' : ' disabled') . '>' . esc_html__('Retry failed events', 'lojal') . '</button> ';
		$scheduled = admin_url('admin.php?page=wc-status&tab=action-scheduler&s=lojal_send_event');
		echo '<a href="' . esc_url($scheduled) . '">' . esc_html__('See the actions in Tools → Scheduled Actions', 'lojal') . '</a> ';
		echo '<span id="lojal-retry-result" role="status"></span></p>';
	}

	private function import(): void {
		global $wpdb;
		$sources = (new PointsSources($wpdb))->available();
		echo '<h3>' . esc_html__('Import existing points', 'lojal') . '</h3>';
		if (!$sources) {
			echo '<p>' . esc_html__('No points from WooCommerce Points and Rewards or YITH Points and Rewards were found in this shop.', 'lojal') . '</p>';
			return;
		}
		echo '<p>' . esc_html__('Credits each customer\'s current balance in Lojal once: importing again credits nothing twice.', 'lojal') . '</p><ul>';
		foreach ($sources as $source => $customers) {
			/* translators: 1: the points plugin, 2: number of customers */
			echo '<li>' . esc_html(sprintf(_n('%1$s: %2$s customer with points', '%1$s: %2$s customers with points', $customers, 'lojal'), PointsSources::label($source), Numbers::plain((int)$customers))) . '</li>';
		}
		echo '</ul><p><button type="button" class="button" id="lojal-import">' . esc_html__('Import existing points', 'lojal') . '</button></p>';
		echo '<p><progress id="lojal-import-progress" max="100" value="0" hidden style="width:420px"></progress> <span id="lojal-import-result" role="status"></span></p>';
	}

	private function date(int $at): string {
		return (string)wp_date(get_option('date_format') . ' ' . get_option('time_format'), $at);
	}

	private function row(string $label, string $value): void {
		echo '<tr><th scope="row" style="width:260px">' . esc_html($label) . '</th><td>' . esc_html($value) . '</td></tr>';
	}
}
