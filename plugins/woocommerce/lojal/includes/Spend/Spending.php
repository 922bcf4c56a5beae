<?php
declare(strict_types=1);

namespace Lojal\WooCommerce\Spend;

use Lojal\WooCommerce\Services;

/**
 * What the spending hooks share in a request: whether points can be spent at all (the plugin on and connected),
 * the signed-in customer, the session's hold keeper, the cart, and the state the boxes show.
 */
final class Spending {
	public function __construct(private Services $services) {}

	/** The service's redemption calls, or null while the plugin is off or not connected (nothing is shown then). */
	public function redemptions(): ?Redemptions {
		$settings = $this->services->settings();
		$client = $settings->enabled() ? $this->services->client($settings, Redemptions::ACTION_SECONDS) : null;
		return $client === null ? null : new Redemptions($client, $this->services->pause());
	}

	/** The signed-in customer (0: a guest, who cannot spend points). */
	public function customerId(): int {
		return (int)get_current_user_id();
	}

	public function keeper(): ?HoldKeeper {
		$session = WcSpendSession::current();
		return $session === null ? null : new HoldKeeper($session, $this->redemptions(), time(), static function (string $message): void {
			wc_get_logger()->error($message, ['source' => 'lojal']);
		});
	}

	/**
	 * What the classic box and the blocks show: nothing (a guest, the plugin off, no points to use here, the
	 * service slow), "use" with the quote's numbers, or "using" with the hold and the discount it gives.
	 * @return array{state:string, heading?:string, have?:string, upTo?:string, min?:int, max?:int, points?:int, using?:string}
	 */
	public function view(): array {
		$customerId = $this->customerId();
		$cart = WcCart::current();
		$keeper = $customerId > 0 && $cart !== null ? $this->keeper() : null;
		if ($keeper === null || $cart === null) return ['state' => 'none'];
		$hold = $keeper->current($customerId, $cart->fingerprint($customerId));
		if ($hold !== null) {
			$discount = CartHold::discount((int)$hold['amount'], $cart->payable());
			return ['state' => 'using', 'points' => (int)$hold['points'], 'using' => SpendWords::using((int)$hold['points'], $discount, $cart->currency())];
		}
		$quote = $keeper->quote($customerId, $cart->payable(), $cart->currency());
		$min = max(1, (int)($quote['minPoints'] ?? 0));
		if ($quote === null || $quote['maxPoints'] < $min) return ['state' => 'none'];
		return [
			'state' => 'use',
			'heading' => SpendWords::heading(),
			'have' => SpendWords::have($quote['available']),
			'upTo' => SpendWords::upTo($quote['maxPoints'], $quote['maxAmount'], $cart->currency()),
			'min' => $min,
			'max' => $quote['maxPoints'],
		];
	}

	/**
	 * "Use points" for the signed-in customer's cart, from either checkout.
	 * @return array{ok:bool, message:string}
	 */
	public function apply(int $points): array {
		$cart = WcCart::current();
		$keeper = $cart !== null ? $this->keeper() : null;
		if ($keeper === null || $cart === null) return ['ok' => false, 'message' => SpendWords::unavailable()];
		// The totals as they are now, so the quote bounds the points by this cart.
		$cart->cart()->calculate_totals();
		$customerId = $this->customerId();
		$result = $keeper->apply($customerId, $points, $cart->fingerprint($customerId), $cart->payable(), $cart->currency());
		return ['ok' => $result['ok'], 'message' => $result['ok'] ? SpendWords::applied() : SpendWords::error($result)];
	}

	/**
	 * "Remove": the hold goes back and the discount with it.
	 * @return array{ok:bool, message:string}
	 */
	public function remove(): array {
		$keeper = $this->keeper();
		if ($keeper === null) return ['ok' => false, 'message' => SpendWords::unavailable()];
		$keeper->remove();
		return ['ok' => true, 'message' => SpendWords::removed()];
	}
}
