<?php
declare(strict_types=1);

namespace Lojal\WooCommerce\Spend;

/** Where a shopper's hold is kept between requests: WooCommerce's session in a shop (WcSpendSession), an array in tests. */
interface SpendSession {
	public function get(string $key): mixed;

	/** null forgets the key. */
	public function set(string $key, mixed $value): void;
}
