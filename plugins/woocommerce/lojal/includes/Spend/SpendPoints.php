<?php
declare(strict_types=1);

namespace Lojal\WooCommerce\Spend;

use Lojal\WooCommerce\Feature;
use Lojal\WooCommerce\Services;

/**
 * Spending points at checkout, in the block checkout and the classic one: "use N points" (quote → hold), the
 * discount as a cart fee, the order carrying its redemption (committed by the order's event at the service), and
 * the hold released when the cart changes, on "Remove", or when the order fails or is cancelled unpaid.
 */
final class SpendPoints implements Feature {
	public function __construct(private Services $services) {}

	public function register(): void {
		$spending = new Spending($this->services);
		(new CartFee($spending))->register();
		(new OrderRelease($spending))->register();
		(new ClassicBox($this->services, $spending))->register();
		(new BlocksSpend($this->services, $spending))->register();
	}
}
