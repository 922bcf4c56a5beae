<?php
declare(strict_types=1);

namespace Lojal\WooCommerce\AdminPanel;

use Lojal\WooCommerce\Numbers;

/**
 * The wp-admin points panel's phrases that carry a value, in the admin's language (text domain `lojal`; counted
 * phrases through _n() and the language's plural forms). The fixed labels are in PanelView.
 */
final class Words {
	/**
	 * A whole number as the admin reads it; a debt with a real minus sign. Plain text: a locale's thousands
	 * separator may come as an entity ("&nbsp;"), and these words also go into the script's notices.
	 */
	public static function number(int $n): string {
		return ($n < 0 ? '−' : '') . Numbers::plain(abs($n));
	}

	/** Signed, for a change: "+150", "−40". */
	public static function signed(int $n): string {
		return ($n > 0 ? '+' : '') . self::number($n);
	}

	public static function nextTier(int $remaining, string $tier): string {
		/* translators: 1: number of points, 2: the next tier's name */
		return sprintf(_n('%1$s point to %2$s', '%1$s points to %2$s', $remaining, 'lojal'), self::number($remaining), $tier);
	}

	public static function expiring(int $points, string $date): string {
		/* translators: 1: number of points, 2: a date */
		return sprintf(_n('%1$s point expires on %2$s', '%1$s points expire on %2$s', $points, 'lojal'), self::number($points), $date);
	}

	public static function by(string $who): string {
		/* translators: %s: the shop user who made an adjustment */
		return sprintf(__('(by %s)', 'lojal'), $who);
	}

	public static function unknown(): string {
		return __('Lojal does not know this customer yet. A customer joins the program with their first order, or when their account is created or changed while Lojal is on.', 'lojal');
	}

	public static function notConfigured(): string {
		return __('Lojal is not set up or is switched off: fill in the service URL, the API key and the webhook secret, and turn it on, in WooCommerce → Settings → Lojal.', 'lojal');
	}

	public static function unavailable(string $cause): string {
		/* translators: %s: why, e.g. "HTTP 503" or "Operation timed out" */
		return sprintf(__('The Lojal service cannot be reached right now (%s). Try again later.', 'lojal'), $cause);
	}

	public static function activityError(): string {
		return __('The activity cannot be shown right now.', 'lojal');
	}

	public static function guestOrder(string $email): string {
		if ($email === '') return __('This order has no customer, so it earns no points for anyone yet.', 'lojal');
		/* translators: %s: the order's billing e-mail address */
		return sprintf(__('A guest order: its points wait for %s. When someone registers with that e-mail address, the points become theirs.', 'lojal'), $email);
	}

	/** A form field's problem (AdjustmentForm::validate's codes) or a refusal before sending. */
	public static function fieldError(string $code): string {
		return match ($code) {
			'points' => __('Enter a whole number of points of up to 9 digits, e.g. 50 or -50.', 'lojal'),
			'points_zero' => __('The points cannot be 0.', 'lojal'),
			'reason' => __('Enter a reason.', 'lojal'),
			'reason_length' => __('The reason can be at most 400 characters long.', 'lojal'),
			'form_key' => __('This form is out of date. Reload the panel and try again.', 'lojal'),
			'forbidden_view' => __('You are not allowed to see this customer\'s points.', 'lojal'),
			'forbidden_adjust' => __('You are not allowed to adjust points: that needs the "Manage WooCommerce" permission.', 'lojal'),
			'no_customer' => __('This customer or order was not found, or the order has no registered customer.', 'lojal'),
			'not_configured' => self::notConfigured(),
			default => __('The request failed. Reload the page and try again.', 'lojal'),
		};
	}

	/** An adjustment's outcome (AdjustmentForm::outcome) in words; $points is what was asked. */
	public static function adjustment(array $outcome, int $points): string {
		$detail = (string)$outcome['detail'];
		return match ($outcome['message']) {
			'adjusted' => $points > 0
				/* translators: %s: number of points */
				? sprintf(_n('%s point added.', '%s points added.', $points, 'lojal'), self::number($points))
				/* translators: %s: number of points */
				: sprintf(_n('%s point taken away.', '%s points taken away.', abs($points), 'lojal'), self::number(abs($points))),
			/* translators: %s: why, e.g. "Operation timed out" */
			'no_answer' => sprintf(__('No answer from the Lojal service (%s). Sending the same form again is safe: it is never applied twice.', 'lojal'), $detail),
			/* translators: %s: the service's answer, e.g. "HTTP 503" */
			'service' => sprintf(__('The Lojal service could not take the adjustment (%s). Sending the same form again is safe: it is never applied twice.', 'lojal'), $detail),
			'insufficient' => __('The customer does not have that many points to spend. Nothing was changed. Tick "Allow a negative balance" to take them away anyway.', 'lojal'),
			'key_reused' => __('This form was already sent with other values. The panel was reloaded: check the activity before adjusting again.', 'lojal'),
			'unknown' => __('Lojal does not know this customer yet, so their points cannot be adjusted. Nothing was changed.', 'lojal'),
			/* translators: %s: the service's answer, e.g. "HTTP 422 validation_failed: …" */
			default => sprintf(__('The Lojal service refused the adjustment (%s). Nothing was changed.', 'lojal'), $detail),
		};
	}
}
