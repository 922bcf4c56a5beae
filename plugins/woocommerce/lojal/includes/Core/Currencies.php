<?php
declare(strict_types=1);

namespace Lojal\WooCommerce\Core;

/**
 * The minor digits of a currency as the service counts them (CLDR's, through Intl in services/core/common/money.ts),
 * not the shop's "number of decimals" display setting: a HUF or JPY shop that shows two decimals still means
 * whole forints or yen. tests/e2e/woocommerce-plugin.test.ts checks this table against the service's for every
 * currency it knows.
 */
final class Currencies {
	/** Every currency whose minor digits are not 2. */
	private const DIGITS = [
		'AFN' => 0, 'ALL' => 0, 'BHD' => 3, 'BIF' => 0, 'CLP' => 0, 'COP' => 0, 'DJF' => 0, 'GNF' => 0, 'HUF' => 0,
		'IDR' => 0, 'IQD' => 0, 'IRR' => 0, 'ISK' => 0, 'JOD' => 3, 'JPY' => 0, 'KMF' => 0, 'KPW' => 0, 'KRW' => 0,
		'KWD' => 3, 'LAK' => 0, 'LBP' => 0, 'LYD' => 3, 'MGA' => 0, 'MMK' => 0, 'OMR' => 3, 'PKR' => 0, 'PYG' => 0,
		'RWF' => 0, 'SLL' => 0, 'SOS' => 0, 'SYP' => 0, 'TND' => 3, 'UGX' => 0, 'VND' => 0, 'VUV' => 0, 'XAF' => 0,
		'XOF' => 0, 'XPF' => 0, 'YER' => 0,
	];

	public static function decimals(string $currency): int {
		return self::DIGITS[strtoupper(trim($currency))] ?? 2;
	}
}
