<?php
declare(strict_types=1);

namespace Lojal\OpenCart;

/**
 * The points one order earns, for the order success page and the customer's order page: the service's award
 * (`GET /v1/orders/{id}`: pending until the return window closes, then available; void when cancelled), or, while
 * the order has no award yet (it is awarded when paid or completed), an estimate from the earning quote of its
 * lines and totals. Both calls share one time budget, so a page is never held longer than TIMEOUT_MS (plus the
 * connection set-up); on a timeout or an error there is nothing to show.
 */
final class OrderPoints {
	public const TIMEOUT_MS = 300;
	/** Service order statuses after which an order earns nothing, so no estimate is shown. */
	private const ENDED = ['cancelled', 'refunded'];

	public function __construct(private ?HttpClient $client) {}

	/**
	 * @param callable(int):?int $estimate the earning quote of the order's lines and totals, given the milliseconds left
	 * @return ?array{kind:string, points:int, availableAt:?string, reversed:int, redeemed:int, restored:int}
	 *   kind: pending | available | void | estimate
	 */
	public function forOrder(string $orderId, callable $estimate): ?array {
		if ($this->client === null) return null;
		$started = hrtime(true);
		$answer = $this->client->json('GET', '/v1/orders/' . rawurlencode($orderId), null, self::TIMEOUT_MS);
		$order = $answer['status'] === 200 && is_array($answer['json']) ? $answer['json'] : null;
		if ($order === null && $answer['status'] !== 404) return null;
		$moved = ['reversed' => (int)($order['reversed'] ?? 0), 'redeemed' => (int)($order['redeemed'] ?? 0), 'restored' => (int)($order['restored'] ?? 0)];
		$award = $order['award'] ?? null;
		if (is_array($award)) {
			return ['kind' => (string)$award['status'], 'points' => (int)$award['points'], 'availableAt' => (string)$award['availableAt']] + $moved;
		}
		if ($order !== null && in_array((string)($order['status'] ?? ''), self::ENDED, true)) return null;
		$left = self::TIMEOUT_MS - intdiv(hrtime(true) - $started, 1_000_000);
		$points = $left >= 50 ? $estimate($left) : null;
		return $points === null || $points <= 0 ? null : ['kind' => 'estimate', 'points' => $points, 'availableAt' => null] + $moved;
	}

	/**
	 * What a customer reads about the order's points, one sentence a line.
	 * @param array $points forOrder()'s answer
	 * @param callable(string, int, string...):string $say a counted phrase: language key, count, further arguments
	 * @param callable(string):string $date an ISO timestamp as the shop writes dates
	 * @return list<string>
	 */
	public static function sentences(array $points, callable $say, callable $date): array {
		$lines = [match ($points['kind']) {
			'pending' => $say('lojal_text_order_pending', $points['points'], $date((string)$points['availableAt'])),
			'available' => $say('lojal_text_order_available', $points['points']),
			'void' => $say('lojal_text_order_void', $points['points']),
			default => $say('lojal_text_order_estimate', $points['points']),
		}];
		$reversed = $points['kind'] === 'void' ? 0 : $points['reversed'];
		if ($reversed > 0) $lines[] = $say('lojal_text_order_reversed', $reversed);
		if ($points['redeemed'] > 0) $lines[] = $say('lojal_text_order_redeemed', $points['redeemed']);
		if ($points['restored'] > 0) $lines[] = $say('lojal_text_order_restored', $points['restored']);
		return $lines;
	}
}
