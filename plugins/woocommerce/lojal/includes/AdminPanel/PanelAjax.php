<?php
declare(strict_types=1);

namespace Lojal\WooCommerce\AdminPanel;

use Lojal\WooCommerce\Core\HttpClient;
use Lojal\WooCommerce\Feature;
use Lojal\WooCommerce\Services;

/**
 * The points panel's admin-ajax actions (nonce `lojal_member_panel`): `lojal_member_panel` answers the panel's
 * HTML for a user or an order's customer (two reads of at most 1.5 s each; the page that asks never waits on
 * them), `lojal_adjust_points` checks the adjustment form and sends it once under its key.
 */
final class PanelAjax implements Feature {
	public const NONCE = 'lojal_member_panel';
	public const READ_TIMEOUT_SECONDS = 1.5;

	/** @var callable(string, mixed...): bool */
	private $can;

	/** @param ?callable(string $capability, mixed ...$args): bool $can current_user_can by default */
	public function __construct(private Services $services, ?callable $can = null) {
		$this->can = $can ?? 'current_user_can';
	}

	public function register(): void {
		add_action('wp_ajax_lojal_member_panel', [$this, 'panel']);
		add_action('wp_ajax_lojal_adjust_points', [$this, 'adjust']);
	}

	public function panel(): void {
		check_ajax_referer(self::NONCE, 'nonce');
		$request = wp_unslash($_REQUEST); // phpcs:ignore WordPress.Security.ValidatedSanitizedInput -- ids cast to int in Target
		$target = Target::resolve($request, $this->can);
		if ($target['error'] === 'forbidden_view') wp_send_json_error(['html' => PanelView::message(Words::fieldError('forbidden_view'), 'error', false)], 403);
		if ($target['customerId'] === null) {
			$text = isset($request['order']) ? Words::guestOrder($target['guestEmail']) : Words::fieldError('no_customer');
			wp_send_json_success(['html' => PanelView::message($text, 'info', false)]);
		}
		$client = $this->client(self::READ_TIMEOUT_SECONDS);
		if ($client === null) wp_send_json_success(['html' => PanelView::message(Words::notConfigured(), 'info')]);
		$panel = $this->read($client, $target['customerId']);
		if ($panel['state'] !== 'member') wp_send_json_success(['html' => PanelView::message($panel['message'], $panel['state'] === 'unknown' ? 'info' : 'warning')]);
		$formKey = Target::canAdjust($this->can) ? AdjustmentForm::newKey() : null;
		wp_send_json_success(['html' => PanelView::panel($panel, $formKey)]);
	}

	/**
	 * The form's POST (points, reason, allow_negative, idempotency_key, and user or order). Answers
	 * `{message?, errors?: {field: text}, key?: a new form key, reload: bool}`.
	 */
	public function adjust(): void {
		check_ajax_referer(self::NONCE, 'nonce');
		$post = wp_unslash($_POST); // phpcs:ignore WordPress.Security.ValidatedSanitizedInput -- checked by AdjustmentForm::validate
		$target = Target::resolve($post, $this->can);
		$refusal = $target['error'] !== '' ? $target['error'] : (Target::canAdjust($this->can) ? '' : 'forbidden_adjust');
		$client = $refusal === '' ? $this->client(AdjustmentForm::TIMEOUT_SECONDS) : null;
		if ($refusal === '' && $client === null) $refusal = 'not_configured';
		if ($refusal !== '') wp_send_json_error(['errors' => ['warning' => Words::fieldError($refusal)], 'reload' => false], str_starts_with($refusal, 'forbidden') ? 403 : null);
		$post['reason'] = sanitize_text_field((string)($post['reason'] ?? ''));
		$checked = AdjustmentForm::validate($post);
		if ($checked['errors']) wp_send_json_error(['errors' => array_map([Words::class, 'fieldError'], $checked['errors']), 'reload' => false]);
		$request = $checked['request'];
		try {
			$outcome = AdjustmentForm::send($client, (string)$target['customerId'], $request, self::by());
		} catch (\Throwable $e) {
			$outcome = AdjustmentForm::outcome(0, null, $e->getMessage());
		}
		$answer = ['message' => Words::adjustment($outcome, $request['points']), 'reload' => $outcome['reload']];
		if ($outcome['newKey']) $answer['key'] = AdjustmentForm::newKey();
		if ($outcome['ok']) wp_send_json_success($answer);
		// A refusal the admin can act on (an overdraw, a reused form, an unknown customer) is not the plugin's error.
		if (in_array($outcome['message'], ['no_answer', 'service', 'refused'], true)) {
			self::log('an adjustment of customer ' . $target['customerId'] . ' got no usable answer: ' . $outcome['detail']);
		}
		wp_send_json_error($answer);
	}

	/** Who is adjusting, as the service records it in `by`: the user's display name, else their login. */
	public static function by(): string {
		$user = wp_get_current_user();
		$name = trim((string)($user->display_name ?? ''));
		return $name !== '' ? $name : (string)($user->user_login ?? '');
	}

	/** An RFC 3339 time in the site's date format and time zone. */
	public static function date(string $at): string {
		$time = $at === '' ? false : strtotime($at);
		return $time === false ? '' : (string)wp_date((string)get_option('date_format', 'Y-m-d'), $time);
	}

	private function client(float $timeoutSeconds): ?HttpClient {
		return $this->services->settings()->enabled() ? $this->services->client(null, $timeoutSeconds) : null;
	}

	private function read(HttpClient $client, string $customerId): array {
		try {
			[$member, $activity] = PanelModel::fetch($client, $customerId, self::READ_TIMEOUT_SECONDS);
			$panel = PanelModel::build($member, $activity, [self::class, 'date']);
		} catch (\Throwable $e) {
			$panel = ['state' => 'unavailable', 'message' => Words::unavailable($e->getMessage()), 'cause' => $e->getMessage()];
		}
		if ($panel['state'] === 'unavailable') self::log('the points panel of customer ' . $customerId . ' could not be read: ' . $panel['cause']);
		return $panel;
	}

	private static function log(string $message): void {
		wc_get_logger()->error('Lojal: ' . $message, ['source' => 'lojal']);
	}
}
