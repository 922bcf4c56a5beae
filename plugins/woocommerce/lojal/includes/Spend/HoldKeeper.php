<?php
declare(strict_types=1);

namespace Lojal\WooCommerce\Spend;

/**
 * The hold in a shopper's session, as a small state machine (no WordPress):
 * - none → "Use points": quote (the most this cart may take) → hold at the service → held, with the cart's
 *   fingerprint;
 * - held → the cart changed, another customer, past its expiry, or "Remove": released at the service (cancel) and
 *   forgotten, so the discount goes with it;
 * - held → an order was made with it: handed over, forgotten without a release (the order's events commit it at
 *   the service; its failure or cancellation releases it), and the next hold is for a new cart id, so it cannot
 *   release the order's.
 * Quotes are kept a minute per customer, currency and total, as pages ask for them often.
 */
final class HoldKeeper {
	public const HOLD = 'lojal_hold';
	public const QUOTE = 'lojal_quote';
	public const CART = 'lojal_cart_id';
	public const QUOTE_SECONDS = 60;

	/** @var callable(string): void */
	private $log;

	/**
	 * @param ?Redemptions $redemptions null while the plugin has no service to ask (a hold is then only forgotten)
	 * @param ?callable(string $message): void $log
	 */
	public function __construct(private SpendSession $session, private ?Redemptions $redemptions, private int $now, ?callable $log = null) {
		$this->log = $log ?? static function (string $message): void {};
	}

	/** The hold kept in the session, whatever the cart (null: none). */
	public function hold(): ?array {
		$hold = $this->session->get(self::HOLD);
		return is_array($hold) && !empty($hold['id']) ? $hold : null;
	}

	/**
	 * The hold that applies to this customer's cart now; one that no longer does is released and forgotten. Without
	 * a service (the plugin turned off) no hold applies: no event would commit it.
	 */
	public function current(int $customerId, string $fingerprint): ?array {
		$hold = $this->hold();
		if ($hold === null) return null;
		if ($this->redemptions !== null && CartHold::applies($hold, $customerId, $fingerprint, $this->now)) return $hold;
		$this->release(Redemptions::PAGE_SECONDS);
		return null;
	}

	/**
	 * "Use N points" on a cart that has `$payable` (minor units) to pay: any earlier hold goes back first, then
	 * the service's quote bounds N, then the hold.
	 * @return array{ok:bool, hold?:array, error?:string, min?:int, max?:int, detail?:string}
	 */
	public function apply(int $customerId, int $points, string $fingerprint, int $payable, string $currency): array {
		if ($customerId <= 0) return ['ok' => false, 'error' => 'signed_out'];
		if ($this->redemptions === null) return ['ok' => false, 'error' => 'unavailable'];
		$this->release(Redemptions::ACTION_SECONDS);
		$quote = Redemptions::quoteOf($this->redemptions->quote((string)$customerId, $payable, $currency, Redemptions::ACTION_SECONDS));
		if ($quote === null) return ['ok' => false, 'error' => 'unavailable'];
		$min = max(1, $quote['minPoints']);
		if ($points < $min || $points > $quote['maxPoints']) return ['ok' => false, 'error' => 'out_of_range', 'min' => $min, 'max' => $quote['maxPoints']];
		$r = $this->redemptions->hold((string)$customerId, $points, $this->cartId($customerId));
		if ($r['status'] === 409 && (($r['json']['code'] ?? '') === 'insufficient_points')) return ['ok' => false, 'error' => 'insufficient'];
		$hold = $r['status'] === 201 ? CartHold::fromAnswer($r['json'], $customerId, $fingerprint) : null;
		if ($hold === null) {
			($this->log)('Lojal: holding ' . $points . ' points failed: ' . ($r['error'] !== '' ? $r['error'] : 'HTTP ' . $r['status']));
			return ['ok' => false, 'error' => 'unavailable', 'detail' => $r['error']];
		}
		$this->session->set(self::HOLD, $hold);
		return ['ok' => true, 'hold' => $hold];
	}

	/** "Remove": the hold goes back to the service and the discount with it. */
	public function remove(): void {
		$this->release(Redemptions::ACTION_SECONDS);
	}

	/** An order was made with this hold: forgotten here without a release; the next hold gets a new cart id. */
	public function handOver(string $redemptionId): void {
		$hold = $this->hold();
		if ($hold === null || $hold['id'] !== $redemptionId) return;
		foreach ([self::HOLD, self::QUOTE, self::CART] as $key) $this->session->set($key, null);
	}

	/**
	 * The service's quote for a cart with `$payable` to pay, kept a minute; null when it did not answer in time
	 * or is paused after an outage (the box is then left out, and nothing logged again) or for a guest.
	 */
	public function quote(int $customerId, int $payable, string $currency): ?array {
		if ($customerId <= 0 || $this->redemptions === null) return null;
		$key = $customerId . '|' . strtoupper($currency) . '|' . $payable;
		$kept = $this->session->get(self::QUOTE);
		if (is_array($kept) && ($kept['key'] ?? '') === $key && (int)($kept['at'] ?? 0) > $this->now - self::QUOTE_SECONDS && is_array($kept['quote'] ?? null)) {
			return $kept['quote'];
		}
		if ($this->redemptions->paused()) return null;
		$answer = $this->redemptions->quote((string)$customerId, $payable, $currency);
		$quote = Redemptions::quoteOf($answer);
		if ($quote === null) {
			($this->log)('Lojal: no redemption quote: ' . ($answer['error'] !== '' ? $answer['error'] : 'HTTP ' . $answer['status']));
			return null;
		}
		$this->session->set(self::QUOTE, ['key' => $key, 'at' => $this->now, 'quote' => $quote]);
		return $quote;
	}

	/** Forgets the session's hold (and the quote, which its points changed) and cancels it at the service. */
	private function release(float $timeoutSeconds): void {
		$hold = $this->hold();
		if ($hold === null) return;
		$this->session->set(self::HOLD, null);
		$this->session->set(self::QUOTE, null);
		if ($this->redemptions === null) return;
		$r = $this->redemptions->cancel($hold['id'], $timeoutSeconds);
		// A hold not released here goes back by itself when its time is up.
		if ($r['error'] !== '') ($this->log)('Lojal: releasing hold ' . $hold['id'] . ' failed (it expires by itself): ' . $r['error']);
	}

	/** The cart id the service knows this cart's holds by: a new hold of the same cart releases the earlier one. */
	private function cartId(int $customerId): string {
		$id = $this->session->get(self::CART);
		if (!is_string($id) || $id === '') {
			$id = 'wc-' . $customerId . '-' . bin2hex(random_bytes(8));
			$this->session->set(self::CART, $id);
		}
		return $id;
	}
}
