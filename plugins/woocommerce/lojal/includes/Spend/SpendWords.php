<?php
declare(strict_types=1);

namespace Lojal\WooCommerce\Spend;

use Lojal\WooCommerce\Numbers;
use Lojal\WooCommerce\Core\Currencies;

/**
 * Every word the shopper reads about spending points, translated here in PHP (text domain lojal) for the classic
 * box and for the block checkout alike: the blocks' script gets them ready-made in the cart's data and its
 * settings, so counted phrases use the language's own plural forms (_n) and no JavaScript translation files are
 * needed.
 */
final class SpendWords {
	/** An amount in minor units of the shop's currency as the shop shows money, as plain text ("$5.00"). */
	public static function money(int $minor, string $currency): string {
		$text = wc_price(CartHold::decimal($minor, Currencies::decimals($currency)), ['currency' => $currency]);
		return trim(html_entity_decode(wp_strip_all_tags($text), ENT_QUOTES, 'UTF-8'));
	}

	public static function heading(): string {
		return __('Use your loyalty points', 'lojal');
	}

	public static function have(int $available): string {
		/* translators: %s: number of points */
		return sprintf(_n('You have %s point.', 'You have %s points.', $available, 'lojal'), Numbers::plain($available));
	}

	public static function upTo(int $maxPoints, int $maxAmount, string $currency): string {
		/* translators: 1: number of points, 2: their value in money */
		return sprintf(_n('Up to %1$s point, worth %2$s, on this order.', 'Up to %1$s points, worth %2$s, on this order.', $maxPoints, 'lojal'), Numbers::plain($maxPoints), self::money($maxAmount, $currency));
	}

	public static function using(int $points, int $discount, string $currency): string {
		/* translators: 1: number of points, 2: the discount they give, in money */
		return sprintf(_n('Using %1$s loyalty point (%2$s off).', 'Using %1$s loyalty points (%2$s off).', $points, 'lojal'), Numbers::plain($points), self::money($discount, $currency));
	}

	/** The name of the discount line in the cart, the order, its e-mails. */
	public static function feeName(int $points): string {
		/* translators: %s: number of points spent */
		return sprintf(__('Loyalty points (%s)', 'lojal'), Numbers::plain($points));
	}

	/** The labels the classic box and the blocks' script use. */
	public static function labels(): array {
		return [
			'heading' => self::heading(),
			'points' => __('Points to use', 'lojal'),
			'use' => __('Use points', 'lojal'),
			'remove' => __('Remove', 'lojal'),
			'failed' => self::unavailable(),
			'applied' => self::applied(),
			'removed' => self::removed(),
		];
	}

	public static function applied(): string {
		return __('Your loyalty points are applied.', 'lojal');
	}

	public static function removed(): string {
		return __('Your loyalty points are no longer used.', 'lojal');
	}

	public static function unavailable(): string {
		return __('Your points cannot be used right now. Please try again in a moment.', 'lojal');
	}

	/** What went wrong with "Use points" (HoldKeeper::apply's error), in words. */
	public static function error(array $result): string {
		switch ($result['error'] ?? '') {
			case 'signed_out':
				return __('Sign in to use your loyalty points.', 'lojal');
			case 'out_of_range':
				if (($result['max'] ?? 0) < ($result['min'] ?? 1)) return __('There are no points to use on this order.', 'lojal');
				/* translators: 1: the fewest points, 2: the most points */
				return sprintf(__('Enter a number of points from %1$s to %2$s.', 'lojal'), Numbers::plain((int)$result['min']), Numbers::plain((int)$result['max']));
			case 'insufficient':
				return __('You do not have that many points available.', 'lojal');
			default:
				return self::unavailable();
		}
	}
}
