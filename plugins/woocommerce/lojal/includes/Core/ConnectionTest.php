<?php
declare(strict_types=1);

namespace Lojal\WooCommerce\Core;

/**
 * "Test connection": the API key through GET /v1/program, then the webhook secret through a signed event of a
 * type the service refuses only after checking the signature (`connection.test`: 422, nothing stored), as the
 * OpenCart extension does. The admin page words the answer.
 */
final class ConnectionTest {
	/**
	 * @return array{ok:bool, step:string, error:string, program:?array}
	 *   step: config (settings missing), program (key or URL wrong), secret (signature refused), done
	 */
	public static function run(?HttpClient $client, string $webhookSecret, int $now): array {
		if ($client === null || trim($webhookSecret) === '') return ['ok' => false, 'step' => 'config', 'error' => '', 'program' => null];
		$program = $client->json('GET', '/v1/program', null, 5.0);
		if ($program['error'] !== '' || !is_array($program['json'])) {
			return ['ok' => false, 'step' => 'program', 'error' => $program['error'] ?: 'HTTP ' . $program['status'], 'program' => null];
		}
		$body = Json::encode(['id' => 'woocommerce:connection-test:' . $now, 'type' => 'connection.test', 'occurredAt' => gmdate('Y-m-d\TH:i:s\Z', $now), 'data' => new \stdClass()]);
		$signed = $client->request('POST', '/v1/events', $body, ['Lojal-Signature' => Signer::header(trim($webhookSecret), $body, $now)], 5.0);
		if ($signed['status'] === 0 || $signed['status'] === 401 || $signed['status'] >= 500) {
			$problem = json_decode($signed['body'], true);
			$error = $signed['status'] === 0 ? ($signed['error'] ?: 'no answer') : HttpClient::describe($signed['status'], $problem);
			return ['ok' => false, 'step' => 'secret', 'error' => $error, 'program' => $program['json']];
		}
		return ['ok' => true, 'step' => 'done', 'error' => '', 'program' => $program['json']];
	}
}
