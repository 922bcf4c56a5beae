<?php
declare(strict_types=1);

namespace Lojal\OpenCart;

/**
 * A points adjustment made on the admin customer page: the form checked, sent once to
 * POST /v1/members/{id}/adjustments with the form's Idempotency-Key (D15: a double click or a resend of the same
 * form is replayed, never applied twice), and the service's answer as a language key for the admin.
 */
final class Adjustment {
	public const MAX_REASON = 400;
	private const KEY = '/^oc-adjust-[0-9a-f]{32}$/';

	/** A new key for one rendered form (no ':', as the service's keys allow). */
	public static function newKey(): string {
		return 'oc-adjust-' . bin2hex(random_bytes(16));
	}

	/**
	 * @param array $post the form: points, reason, allow_negative, idempotency_key
	 * @return array{errors:array<string,string>, request:?array{points:int, reason:string, allowNegative:bool, key:string}}
	 *   errors: form field => language key
	 */
	public static function validate(array $post): array {
		$errors = [];
		$points = trim((string)($post['points'] ?? ''));
		if (!preg_match('/^[+-]?\d{1,9}$/', $points)) $errors['points'] = 'error_points';
		elseif ((int)$points === 0) $errors['points'] = 'error_points_zero';
		// OpenCart's Request HTML-encodes every POST value: the service keeps the reason as the admin typed it.
		$reason = trim(preg_replace('/\s+/u', ' ', html_entity_decode((string)($post['reason'] ?? ''), ENT_QUOTES, 'UTF-8')) ?? '');
		if ($reason === '') $errors['reason'] = 'error_reason';
		elseif (mb_strlen($reason, 'UTF-8') > self::MAX_REASON) $errors['reason'] = 'error_reason_length';
		$key = (string)($post['idempotency_key'] ?? '');
		if (!preg_match(self::KEY, $key)) $errors['warning'] = 'error_form_key';
		if ($errors) return ['errors' => $errors, 'request' => null];
		return ['errors' => [], 'request' => ['points' => (int)$points, 'reason' => $reason, 'allowNegative' => !empty($post['allow_negative']), 'key' => $key]];
	}

	/**
	 * The request body. The admin is named in `by`, which the service keeps for the shop's eyes; the reason is the
	 * customer's to read on their points page, so the admin's user name never goes there.
	 */
	public static function body(array $request, string $userName): array {
		$user = mb_substr(trim($userName), 0, 100, 'UTF-8');
		$body = ['points' => $request['points'], 'reason' => $request['reason']];
		if ($user !== '') $body['by'] = $user;
		if ($request['allowNegative']) $body['allowNegative'] = true;
		return $body;
	}

	/** @return array{ok:bool, message:string, detail:string, entry:?array, newKey:bool, reload:bool} */
	public static function send(HttpClient $client, string $customerId, array $request, string $userName, int $timeoutMs = 5000): array {
		$r = $client->request('POST', '/v1/members/' . rawurlencode($customerId) . '/adjustments', Json::encode(self::body($request, $userName)),
			['Idempotency-Key' => $request['key']], $timeoutMs);
		$json = $r['body'] === '' ? null : json_decode($r['body'], true);
		return self::outcome($r['status'], is_array($json) ? $json : null, $r['error']);
	}

	/**
	 * What an answer means for the form. `newKey`: the service refused and wrote nothing, so the corrected form may
	 * be sent under a new key. No answer or a 5xx keeps the key: the same form again is safe, whatever happened.
	 * @return array{ok:bool, message:string, detail:string, entry:?array, newKey:bool, reload:bool}
	 */
	public static function outcome(int $status, ?array $json, string $transportError): array {
		$answer = ['ok' => false, 'message' => '', 'detail' => '', 'entry' => null, 'newKey' => false, 'reload' => false];
		$code = (string)($json['code'] ?? '');
		$detail = (string)($json['detail'] ?? '');
		if ($status >= 200 && $status < 300) return ['ok' => true, 'message' => 'text_adjusted', 'entry' => $json, 'reload' => true] + $answer;
		if ($status === 0) return ['message' => 'error_no_answer', 'detail' => $transportError] + $answer;
		if ($status >= 500) return ['message' => 'error_service', 'detail' => 'HTTP ' . $status . ($detail !== '' ? ': ' . $detail : '')] + $answer;
		if ($code === 'insufficient_points') return ['message' => 'error_insufficient', 'detail' => $detail, 'newKey' => true] + $answer;
		if ($code === 'idempotency_key_reused') return ['message' => 'error_key_reused', 'detail' => $detail, 'reload' => true] + $answer;
		if ($status === 404 && $code === 'not_found') return ['message' => 'error_unknown', 'detail' => $detail, 'reload' => true] + $answer;
		return ['message' => 'error_refused', 'detail' => 'HTTP ' . $status . ($code !== '' ? ' ' . $code : '') . ($detail !== '' ? ': ' . $detail : ''), 'newKey' => $status !== 429] + $answer;
	}
}
