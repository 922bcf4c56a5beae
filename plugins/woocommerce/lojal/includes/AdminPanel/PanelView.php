<?php
declare(strict_types=1);

namespace Lojal\WooCommerce\AdminPanel;

/**
 * The points panel's HTML. The card is a placeholder the page prints at once; admin-panel.js fills it from
 * PanelAjax. The adjustment fields have no `name`: the card sits inside the profile's or the order's own form,
 * which must not send them (and forms cannot nest), so the script collects them by `data-lojal-field`.
 */
final class PanelView {
	/** @param string $kind "user" or "order" */
	public static function card(string $kind, int $id): string {
		return '<div class="lojal-points" data-lojal-kind="' . esc_attr($kind) . '" data-lojal-id="' . esc_attr((string)$id) . '">'
			. '<div class="lojal-points-notice" aria-live="polite"></div>'
			. '<div class="lojal-points-body"><p class="lojal-points-loading"><span class="spinner is-active"></span>'
			. esc_html__('Loading the loyalty points…', 'lojal') . '</p></div></div>';
	}

	/** A message in place of the panel, with a button to load it again. $level: info, warning or error. */
	public static function message(string $text, string $level = 'warning', bool $reload = true): string {
		$button = $reload ? ' <button type="button" class="button button-small" data-lojal-reload>' . esc_html__('Reload', 'lojal') . '</button>' : '';
		return '<div class="notice notice-' . esc_attr($level) . ' inline lojal-points-message"><p>' . esc_html($text) . $button . '</p></div>';
	}

	/**
	 * The panel for a member (PanelModel::build's state "member").
	 * @param ?string $formKey the adjustment form's Idempotency-Key, or null for a user who may only look
	 */
	public static function panel(array $panel, ?string $formKey): string {
		ob_start();
		include __DIR__ . '/views/panel.php';
		return (string)ob_get_clean();
	}
}
