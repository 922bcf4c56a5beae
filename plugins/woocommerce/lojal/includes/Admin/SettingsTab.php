<?php
declare(strict_types=1);

namespace Lojal\WooCommerce\Admin;

use Lojal\WooCommerce\Core\StatusMap;
use Lojal\WooCommerce\Feature;
use Lojal\WooCommerce\Services;
use Lojal\WooCommerce\Settings;

/**
 * WooCommerce → Settings → Lojal, through WooCommerce's settings API: the connection, the status mapping and the
 * tools (test connection, deliveries, import; ToolsPanel draws them, AdminAjax answers them). The API key and the
 * webhook secret are never printed into the page: their fields are empty, say when one is saved, and an empty
 * field keeps the saved one.
 */
final class SettingsTab implements Feature {
	public const TAB = 'lojal';
	/** The fields whose saved value the page never shows. */
	private const SECRETS = [Settings::API_KEY, Settings::SECRET];

	public function __construct(private Services $services) {}

	public function register(): void {
		add_filter('woocommerce_settings_tabs_array', [$this, 'addTab'], 50);
		add_action('woocommerce_settings_tabs_' . self::TAB, [$this, 'render']);
		add_action('woocommerce_update_options_' . self::TAB, [$this, 'save']);
		add_action('woocommerce_admin_field_lojal_tools', [$this, 'renderTools']);
		add_filter('woocommerce_admin_settings_sanitize_option_' . Settings::URL, [$this, 'sanitizeUrl'], 10, 1);
		foreach (self::SECRETS as $option) add_filter('woocommerce_admin_settings_sanitize_option_' . $option, [$this, 'keepWhenEmpty'], 10, 1);
		add_action('admin_enqueue_scripts', [$this, 'assets']);
		add_filter('plugin_action_links_' . plugin_basename($this->services->pluginFile), [$this, 'links']);
	}

	/** @param array<string,string> $tabs */
	public function addTab(array $tabs): array {
		$tabs[self::TAB] = __('Lojal', 'lojal');
		return $tabs;
	}

	public function render(): void {
		woocommerce_admin_fields($this->fields());
	}

	public function save(): void {
		woocommerce_update_options($this->fields());
		$saved = get_option(StatusMap::OPTION, []);
		update_option(StatusMap::OPTION, StatusMap::sanitize(is_array($saved) ? $saved : [], wc_get_order_statuses()));
		// Settings just fixed or completed: what waits goes now, not after its backoff.
		$settings = $this->services->settings();
		if ($settings->enabled() && $settings->configured()) $this->services->outbox()->sendWaitingNow();
	}

	public function renderTools(): void {
		(new ToolsPanel($this->services))->render();
	}

	public function sanitizeUrl(mixed $value): string {
		$url = trim((string)$value);
		if ($url === '') return '';
		if (!preg_match('#^https?://#i', $url) || filter_var($url, FILTER_VALIDATE_URL) === false) {
			\WC_Admin_Settings::add_error(__('The service URL must start with https:// (or http:// on a private network).', 'lojal'));
			return (string)get_option(Settings::URL, '');
		}
		return untrailingslashit(esc_url_raw($url));
	}

	/** A key or secret submitted empty keeps the saved one (null: WooCommerce saves nothing); a new one replaces it. */
	public function keepWhenEmpty(mixed $value): ?string {
		$value = trim((string)$value);
		return $value === '' ? null : $value;
	}

	public function assets(string $hook): void {
		if ($hook !== 'woocommerce_page_wc-settings' || ($_GET['tab'] ?? '') !== self::TAB) return; // phpcs:ignore WordPress.Security.NonceVerification
		wp_enqueue_script('lojal-admin', $this->services->assetUrl('admin.js'), [], LOJAL_VERSION, true);
		wp_localize_script('lojal-admin', 'lojalAdmin', [
			'ajaxUrl' => admin_url('admin-ajax.php'),
			'nonce' => wp_create_nonce(AdminAjax::NONCE),
			'fields' => ['url' => Settings::URL, 'apiKey' => Settings::API_KEY, 'secret' => Settings::SECRET],
			'text' => [
				'testing' => __('Testing…', 'lojal'),
				'importing' => __('Importing…', 'lojal'),
				'failed' => __('The request failed. Reload the page and try again.', 'lojal'),
				/* translators: 1: customers done, 2: customers in all, 3: points credited now, 4: already imported before */
				'progress' => __('%1$s of %2$s customers; %3$s credited, %4$s imported before.', 'lojal'),
				'done' => __('Import finished.', 'lojal'),
			],
		]);
	}

	/** @param list<string> $links */
	public function links(array $links): array {
		$url = admin_url('admin.php?page=wc-settings&tab=' . self::TAB);
		array_unshift($links, '<a href="' . esc_url($url) . '">' . esc_html__('Settings', 'lojal') . '</a>');
		return $links;
	}

	/** WooCommerce settings API fields. */
	public function fields(): array {
		$fields = [
			['title' => __('Lojal service', 'lojal'), 'type' => 'title', 'id' => 'lojal_connection',
				'desc' => __('The address of your Lojal service and this shop\'s API key and webhook secret (given once when the shop was created in Lojal).', 'lojal')],
			['title' => __('Status', 'lojal'), 'desc' => __('Send orders, refunds and customers to Lojal', 'lojal'), 'id' => Settings::ENABLED, 'type' => 'checkbox', 'default' => 'no'],
			['title' => __('Service URL', 'lojal'), 'id' => Settings::URL, 'type' => 'url', 'placeholder' => 'https://lojal.example.com', 'css' => 'min-width:420px;'],
			$this->secretField(__('API key', 'lojal'), Settings::API_KEY, 'lj_sk_…'),
			$this->secretField(__('Webhook secret', 'lojal'), Settings::SECRET, 'lj_whsec_…') + ['desc' => __('Signs every event; Lojal refuses what it did not sign.', 'lojal')],
			['type' => 'sectionend', 'id' => 'lojal_connection'],
			['title' => __('Order statuses', 'lojal'), 'type' => 'title', 'id' => 'lojal_statuses',
				'desc' => __('What Lojal is told when an order reaches each status. Points are awarded on "paid" or "completed", as the Lojal program says; "cancelled" takes back points not yet available; a status meaning "refunded" refunds what WooCommerce refunds have not.', 'lojal')],
		];
		$kinds = ['' => __('Nothing', 'lojal'), 'placed' => __('Placed (waiting for payment)', 'lojal'), 'paid' => __('Paid', 'lojal'),
			'completed' => __('Completed', 'lojal'), 'cancelled' => __('Cancelled', 'lojal'), 'refunded' => __('Refunded', 'lojal')];
		$defaults = StatusMap::defaults();
		foreach (wc_get_order_statuses() as $status => $name) {
			$bare = StatusMap::bare((string)$status);
			$fields[] = ['title' => $name, 'id' => StatusMap::OPTION . '[' . $bare . ']', 'type' => 'select', 'options' => $kinds, 'default' => $defaults[$bare] ?? ''];
		}
		$fields[] = ['type' => 'sectionend', 'id' => 'lojal_statuses'];
		$fields[] = ['title' => __('Tools', 'lojal'), 'type' => 'title', 'id' => 'lojal_tools_section'];
		$fields[] = ['type' => 'lojal_tools', 'id' => 'lojal_tools', 'is_option' => false];
		$fields[] = ['type' => 'sectionend', 'id' => 'lojal_tools_section'];
		return $fields;
	}

	/**
	 * A password field printed empty (`value` given, so WooCommerce does not fill in the saved option); its placeholder
	 * says when a value is saved. new-password keeps browsers from filling in the admin's own password.
	 */
	private function secretField(string $title, string $option, string $example): array {
		$saved = trim((string)get_option($option, '')) !== '';
		return ['title' => $title, 'id' => $option, 'type' => 'password', 'value' => '', 'placeholder' => $saved ? __('Saved — leave empty to keep', 'lojal') : $example,
			'css' => 'min-width:420px;', 'custom_attributes' => ['autocomplete' => 'new-password']];
	}
}
