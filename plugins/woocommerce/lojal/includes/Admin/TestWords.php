<?php
declare(strict_types=1);

namespace Lojal\WooCommerce\Admin;

use Lojal\WooCommerce\Numbers;

/** "Test connection" in the admin's words. */
final class TestWords {
	public static function failure(string $step, string $error): string {
		return match ($step) {
			'config' => __('Fill in the service URL, the API key and the webhook secret first.', 'lojal'),
			/* translators: %s: the error, e.g. "HTTP 401 unauthorized" */
			'program' => sprintf(__('Lojal could not be reached or did not accept the API key: %s', 'lojal'), $error),
			/* translators: %s: the error, e.g. "HTTP 401 signature_invalid" */
			default => sprintf(__('The API key works, but Lojal refused the webhook secret: %s', 'lojal'), $error),
		};
	}

	/** @param array{currency?:string, pointsPerUnit?:int|float, awardOn?:string} $program */
	public static function success(array $program, string $shopCurrency): string {
		$currency = (string)($program['currency'] ?? '?');
		// A decimal such as 0.5 is possible: shown as given, its plural form taken from its whole part.
		$rate = (string)($program['pointsPerUnit'] ?? '0');
		$points = (int)floor((float)$rate);
		$whole = $rate === (string)$points;
		$count = $whole ? $points : 2;
		$shown = $whole ? Numbers::plain($points) : $rate;
		$text = ($program['awardOn'] ?? '') === 'paid'
			/* translators: 1: points, 2: currency code */
			? sprintf(_n('Connected. Customers earn %1$s point per 1 %2$s, awarded when an order is paid.', 'Connected. Customers earn %1$s points per 1 %2$s, awarded when an order is paid.', $count, 'lojal'), $shown, $currency)
			/* translators: 1: points, 2: currency code */
			: sprintf(_n('Connected. Customers earn %1$s point per 1 %2$s, awarded when an order is completed.', 'Connected. Customers earn %1$s points per 1 %2$s, awarded when an order is completed.', $count, 'lojal'), $shown, $currency);
		if ($currency !== '?' && strtoupper($shopCurrency) !== $currency) {
			/* translators: 1: the program's currency, 2: the shop's currency */
			$text .= ' ' . sprintf(__('Note: the Lojal program is in %1$s but the shop sells in %2$s; Lojal refuses orders in another currency.', 'lojal'), $currency, strtoupper($shopCurrency));
		}
		return $text;
	}
}
