<?php
declare(strict_types=1);

namespace Lojal\WooCommerce\Spend;

use Lojal\WooCommerce\Core\HttpClient;

/**
 * The service's redemption calls (API.md "Redemptions"), answers as HttpClient::json gives them
 * ({status, json, error}; status 0 when nothing answered in time).
 */
final class Redemptions {
	/** A page that renders (the cart, the checkout, the Store API's cart) never waits longer than this. */
	public const PAGE_SECONDS = 0.3;
	/** What the shopper asked for (Use points, Remove) and the background release may wait a little longer. */
	public const ACTION_SECONDS = 3.0;

	public function __construct(private HttpClient $client) {}

	public function quote(string $customerId, int $orderTotal, string $currency, float $timeoutSeconds = self::PAGE_SECONDS): array {
		return $this->client->json('POST', '/v1/redemptions/quote', ['customerId' => $customerId, 'orderTotal' => ['amount' => $orderTotal, 'currency' => strtoupper($currency)]], $timeoutSeconds);
	}

	public function hold(string $customerId, int $points, string $cartId): array {
		return $this->client->json('POST', '/v1/redemptions', ['customerId' => $customerId, 'points' => $points, 'cartId' => $cartId], self::ACTION_SECONDS);
	}

	public function cancel(string $id, float $timeoutSeconds = self::ACTION_SECONDS): array {
		return $this->client->json('POST', '/v1/redemptions/' . rawurlencode($id) . '/cancel', [], $timeoutSeconds);
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
