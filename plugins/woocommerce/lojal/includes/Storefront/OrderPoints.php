<?php
declare(strict_types=1);

namespace Lojal\WooCommerce\Storefront;

use Lojal\WooCommerce\Numbers;
use Lojal\WooCommerce\Core\HttpClient;

/**
 * The points one order earns, for the thank-you page and the customer's order view: the service's award
 * (`GET /v1/orders/{id}`: pending until the return window closes, then available; void when cancelled), or, while
 * the order has no award yet (it is awarded when paid or completed), an estimate from the earning quote of its
 * lines and totals. Both calls share the page's PageBudget; on a timeout or an error there is nothing to show.
 */
final class OrderPoints {
	/** Order statuses (the service's and WooCommerce's) after which an order earns nothing: no estimate. */
	public const ENDED = ['cancelled', 'refunded', 'failed'];

	public function __construct(private ?HttpClient $client, private PageBudget $budget) {}

	/**
	 * @param callable(): ?array $estimateBody the earning quote's body for the order (CartQuote::fromOrder), null for none
	 * @return ?array{kind:string, points:int, availableAt:?string, reversed:int, redeemed:int, restored:int}
	 *   kind: pending | available | void | estimate
	 */
	public function forOrder(string $orderId, string $shopStatus, callable $estimateBody): ?array {
		if ($this->client === null) return null;
		$answer = $this->budget->run(fn(float $s): array => $this->client->json('GET', '/v1/orders/' . rawurlencode($orderId), null, $s));
		if ($answer === null) return null;
		$order = $answer['status'] === 200 && is_array($answer['json']) ? $answer['json'] : null;
		// Only the service's own problem says "no such order yet"; a bare 404 is something else answering at that URL.
		$unknown = $answer['status'] === 404 && (($answer['json']['code'] ?? '') === 'not_found');
		if ($order === null && !$unknown) return null;
		$moved = ['reversed' => (int)($order['reversed'] ?? 0), 'redeemed' => (int)($order['redeemed'] ?? 0), 'restored' => (int)($order['restored'] ?? 0)];
		$award = $order['award'] ?? null;
		if (is_array($award)) {
			return ['kind' => (string)$award['status'], 'points' => (int)$award['points'], 'availableAt' => isset($award['availableAt']) ? (string)$award['availableAt'] : null] + $moved;
		}
		if (in_array($shopStatus, self::ENDED, true) || in_array((string)($order['status'] ?? ''), self::ENDED, true)) return null;
		$body = $estimateBody();
		if ($body === null) return null;
		$quote = $this->budget->run(fn(float $s): array => $this->client->json('POST', '/v1/earning/quote', $body, $s));
		$points = $quote !== null && $quote['error'] === '' && is_numeric($quote['json']['points'] ?? null) ? (int)$quote['json']['points'] : 0;
		return $points <= 0 ? null : ['kind' => 'estimate', 'points' => $points, 'availableAt' => null] + $moved;
	}

	/**
	 * What a customer reads about the order's points, one sentence a line.
	 * @param array $points forOrder()'s answer
	 * @param callable(string): string $date an RFC 3339 time as the shop writes dates
	 * @return list<string>
	 */
	public static function sentences(array $points, callable $date): array {
		$n = $points['points'];
		$lines = [match ($points['kind']) {
			'pending' => sprintf(Words::orderPending($n), Numbers::plain($n), $date((string)$points['availableAt'])),
			'available' => sprintf(Words::orderAvailable($n), Numbers::plain($n)),
			'void' => sprintf(Words::orderVoid($n), Numbers::plain($n)),
			default => sprintf(Words::orderEstimate($n), Numbers::plain($n)),
		}];
		$reversed = $points['kind'] === 'void' ? 0 : $points['reversed'];
		if ($reversed > 0) $lines[] = sprintf(Words::orderReversed($reversed), Numbers::plain($reversed));
		if ($points['redeemed'] > 0) $lines[] = sprintf(Words::orderRedeemed($points['redeemed']), Numbers::plain($points['redeemed']));
		if ($points['restored'] > 0) $lines[] = sprintf(Words::orderRestored($points['restored']), Numbers::plain($points['restored']));
		return $lines;
	}
}
