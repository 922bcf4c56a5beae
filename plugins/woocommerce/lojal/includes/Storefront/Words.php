<?php
declare(strict_types=1);

namespace Lojal\WooCommerce\Storefront;

use Lojal\WooCommerce\Numbers;

/**
 * The storefront's counted phrases: each answers the plural form for a count (WordPress's _n with the language's
 * Plural-Forms: Polish and Russian have three, Romanian says "20 de puncte"); "%s" is the number as
 * number_format_i18n writes it, put in by the caller with sprintf.
 */
final class Words {
	public static function earn(int $n): string {
		/* translators: %s: a number of points */
		return _n('Earn %s loyalty point', 'Earn %s loyalty points', $n, 'lojal');
	}

	/** A variable product in a list: what its cheapest variation earns. */
	public static function earnFrom(int $n): string {
		/* translators: %s: a number of points (what the cheapest variation of a product earns) */
		return _n('Earn from %s loyalty point', 'Earn from %s loyalty points', $n, 'lojal');
	}

	public static function earnCart(int $n): string {
		/* translators: %s: a number of points */
		return _n('This order earns %s loyalty point', 'This order earns %s loyalty points', $n, 'lojal');
	}

	public static function orderEstimate(int $n): string {
		/* translators: %s: a number of points */
		return _n('This order earns %s loyalty point. You can spend it once the return period is over.', 'This order earns %s loyalty points. You can spend them once the return period is over.', $n, 'lojal');
	}

	public static function orderPending(int $n): string {
		/* translators: 1: a number of points, 2: a date */
		return _n('This order earns %1$s loyalty point, to spend from %2$s (after the return period).', 'This order earns %1$s loyalty points, to spend from %2$s (after the return period).', $n, 'lojal');
	}

	public static function orderAvailable(int $n): string {
		/* translators: %s: a number of points */
		return _n('This order earned %s loyalty point.', 'This order earned %s loyalty points.', $n, 'lojal');
	}

	public static function orderVoid(int $n): string {
		/* translators: %s: a number of points */
		return _n('The %s loyalty point of this order was cancelled.', 'The %s loyalty points of this order were cancelled.', $n, 'lojal');
	}

	public static function orderReversed(int $n): string {
		/* translators: %s: a number of points */
		return _n('%s point was taken back for returned items.', '%s points were taken back for returned items.', $n, 'lojal');
	}

	public static function orderRedeemed(int $n): string {
		/* translators: %s: a number of points */
		return _n('%s point was spent on this order.', '%s points were spent on this order.', $n, 'lojal');
	}

	public static function orderRestored(int $n): string {
		/* translators: %s: a number of points */
		return _n('%s spent point was given back with a refund.', '%s spent points were given back with a refund.', $n, 'lojal');
	}

	public static function nextTier(int $n): string {
		/* translators: 1: a number of points, 2: a tier's name */
		return _n('%1$s point to %2$s', '%1$s points to %2$s', $n, 'lojal');
	}

	public static function held(int $n): string {
		/* translators: %s: a number of points */
		return _n('%s point is set aside for an order in progress.', '%s points are set aside for an order in progress.', $n, 'lojal');
	}

	public static function expiring(int $n): string {
		/* translators: 1: a number of points, 2: a date */
		return _n('%1$s point expires on %2$s', '%1$s points expire on %2$s', $n, 'lojal');
	}
}
