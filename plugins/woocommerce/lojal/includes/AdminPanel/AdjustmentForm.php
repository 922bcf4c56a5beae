<?php
declare(strict_types=1);

namespace Lojal\WooCommerce\AdminPanel;

use Lojal\WooCommerce\Core\HttpClient;
use Lojal\WooCommerce\Core\Json;

/**
 * A points adjustment made in wp-admin (the customer's profile or the order screen), in plain PHP: the form
 * checked, sent once to POST /v1/members/{customerId}/adjustments under the form's Idempotency-Key (D15: a
 * double click or a resend of the same rendered form is replayed by the service, never applied twice), and the
 * service's answer as a message code for Words::adjustment().
 */
final class AdjustmentForm {
	public const MAX_REASON = 400;
	public const MAX_BY = 100;
	/** A write: longer than a read's 1.5 s, and a timeout is safe to resend under the same key. */
	public const TIMEOUT_SECONDS = 5.0;
	private const KEY = '/^wc-adjust-[0-9a-f]{32}$/';

	/** A new key for one rendered form (no ':', as the service's keys allow). */
	public static function newKey(): string {
		return 'wc-adjust-' . bin2hex(random_bytes(16));
	}

	/**
	 * @param array $post the form: points, reason, allow_negative, idempotency_key
	 * @return array{errors:array<string,string>, request:?array{points:int, reason:string, allowNegative:bool, key:string}}
	 *   errors: field (points, reason, warning) => code (Words::fieldError)
	 */
	public static function validate(array $post): array {
		$errors = [];
		$points = trim((string)($post['points'] ?? ''));
		if (!preg_match('/^[+-]?\d{1,9}$/', $points)) $errors['points'] = 'points';
		elseif ((int)$points === 0) $errors['points'] = 'points_zero';
		$reason = trim(preg_replace('/\s+/u', ' ', (string)($post['reason'] ?? '')) ?? '');
		if ($reason === '') $errors['reason'] = 'reason';
		elseif (mb_strlen($reason, 'UTF-8') > self::MAX_REASON) $errors['reason'] = 'reason_length';
		$key = (string)($post['idempotency_key'] ?? '');
		if (!preg_match(self::KEY, $key)) $errors['warning'] = 'form_key';
		if ($errors) return ['errors' => $errors, 'request' => null];
		return ['errors' => [], 'request' => ['points' => (int)$points, 'reason' => $reason, 'allowNegative' => !empty($post['allow_negative']), 'key' => $key]];
	}

	/**
	 * The request body. Who made it goes in `by`, which the service keeps for the shop's eyes; the reason is the
	 * customer's to read in their account, so the admin's name never goes there.
	 */
	public static function body(array $request, string $by): array {
		$by = mb_substr(trim(preg_replace('/\s+/u', ' ', $by) ?? ''), 0, self::MAX_BY, 'UTF-8');
		$body = ['points' => $request['points'], 'reason' => $request['reason']];
		if ($request['allowNegative']) $body['allowNegative'] = true;
		if ($by !== '') $body['by'] = $by;
		return $body;
	}

	/** @return array{ok:bool, message:string, detail:string, entry:?array, newKey:bool, reload:bool} */
	public static function send(HttpClient $client, string $customerId, array $request, string $by, float $timeoutSeconds = self::TIMEOUT_SECONDS): array {
		$r = $client->request('POST', '/v1/members/' . rawurlencode($customerId) . '/adjustments', Json::encode(self::body($request, $by)),
			['Idempotency-Key' => $request['key']], $timeoutSeconds);
		$json = $r['body'] === '' ? null : json_decode($r['body'], true);
		return self::outcome($r['status'], is_array($json) ? $json : null, $r['error']);
	}

	/**
	 * What an answer means for the form. `newKey`: the service refused and wrote nothing, so the corrected form
	 * goes under a new key. No answer or a 5xx keeps the key: sending the same form again is safe, whatever
	 * happened. `reload`: the panel shows something new (the entry, or what the key wrote before).
	 * @return array{ok:bool, message:string, detail:string, entry:?array, newKey:bool, reload:bool}
	 */
	public static function outcome(int $status, ?array $json, string $transportError): array {
		$answer = ['ok' => false, 'message' => '', 'detail' => '', 'entry' => null, 'newKey' => false, 'reload' => false];
		$code = (string)($json['code'] ?? '');
		$detail = (string)($json['detail'] ?? '');
		if ($status >= 200 && $status < 300) return ['ok' => true, 'message' => 'adjusted', 'entry' => $json, 'reload' => true] + $answer;
		if ($status === 0) return ['message' => 'no_answer', 'detail' => $transportError !== '' ? $transportError : 'no answer'] + $answer;
		if ($status >= 500) return ['message' => 'service', 'detail' => 'HTTP ' . $status . ($detail !== '' ? ': ' . $detail : '')] + $answer;
		if ($code === 'insufficient_points') return ['message' => 'insufficient', 'detail' => $detail, 'newKey' => true] + $answer;
		if ($code === 'idempotency_key_reused') return ['message' => 'key_reused', 'detail' => $detail, 'reload' => true] + $answer;
		// Only the service's own problem says "no such member"; a bare 404 is something else answering at that URL.
		if ($status === 404 && $code === 'not_found') return ['message' => 'unknown', 'detail' => $detail, 'newKey' => true, 'reload' => true] + $answer;
		// A 429 may be taken later as it is: the key stays. Any other refusal wrote nothing.
		return ['message' => 'refused', 'detail' => HttpClient::describe($status, $json), 'newKey' => $status !== 429] + $answer;
	}
}
