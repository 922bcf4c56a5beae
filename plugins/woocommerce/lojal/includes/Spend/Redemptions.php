<?php
declare(strict_types=1);

namespace Lojal\WooCommerce\Spend;

use Lojal\WooCommerce\Core\HttpClient;
use Lojal\WooCommerce\Core\ServicePause;

/**
 * The service's redemption calls (API.md "Redemptions"), answers as HttpClient::json gives them
 * ({status, json, error}; status 0 when nothing answered in time). A call that gets no answer starts the shared
 * ServicePause (the earning quote's too); while it lasts the quote is not asked and answers status 0 at once.
 */
final class Redemptions {
	/** A page that renders (the cart, the checkout, the Store API's cart) never waits longer than this. */
	public const PAGE_SECONDS = 0.3;
	/** What the shopper asked for (Use points, Remove) and the background release may wait a little longer. */
	public const ACTION_SECONDS = 3.0;

	/** @param ?ServicePause $pause null where nothing is shared between requests (the contract test) */
	public function __construct(private HttpClient $client, private ?ServicePause $pause = null) {}

	/** Whether the service is remembered as down: the quote is not asked then. */
	public function paused(): bool {
		return $this->pause?->active() ?? false;
	}

	public function quote(string $customerId, int $orderTotal, string $currency, float $timeoutSeconds = self::PAGE_SECONDS): array {
		if ($this->paused()) return ['status' => 0, 'json' => null, 'error' => 'paused: the service did not answer a moment ago'];
		return $this->call('POST', '/v1/redemptions/quote', ['customerId' => $customerId, 'orderTotal' => ['amount' => $orderTotal, 'currency' => strtoupper($currency)]], $timeoutSeconds);
	}

	public function hold(string $customerId, int $points, string $cartId): array {
		return $this->call('POST', '/v1/redemptions', ['customerId' => $customerId, 'points' => $points, 'cartId' => $cartId], self::ACTION_SECONDS);
	}

	public function cancel(string $id, float $timeoutSeconds = self::ACTION_SECONDS): array {
		return $this->call('POST', '/v1/redemptions/' . rawurlencode($id) . '/cancel', [], $timeoutSeconds);
	}

	private function call(string $method, string $path, array $payload, float $timeoutSeconds): array {
		$answer = $this->client->json($method, $path, $payload, $timeoutSeconds);
		$this->pause?->note($answer);
		return $answer;
	}

	/** A quote answer's numbers, or null when the service did not give one (an error, a timeout, a malformed body). */
	public static function quoteOf(array $answer): ?array {
		$q = $answer['json'] ?? null;
		if (($answer['status'] ?? 0) !== 200 || !is_array($q)) return null;
		foreach (['available', 'maxPoints', 'minPoints', 'pointValue', 'maxAmount'] as $field) {
			if (!is_int($q[$field] ?? null)) return null;
		}
		return ['available' => $q['available'], 'maxPoints' => $q['maxPoints'], 'minPoints' => $q['minPoints'], 'pointValue' => $q['pointValue'], 'maxAmount' => $q['maxAmount']];
	}
}
