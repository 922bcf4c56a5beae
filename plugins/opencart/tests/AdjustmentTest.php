<?php
declare(strict_types=1);

use Lojal\OpenCart\Adjustment;
use Lojal\OpenCart\HttpClient;
use PHPUnit\Framework\TestCase;

/** Records raw requests and answers from a list, in order. */
final class RecordingClient extends HttpClient {
	/** @var list<array{method:string, path:string, body:?string, headers:array, timeout:?int}> */
	public array $requests = [];

	public function __construct(private array $answers) {
		parent::__construct('http://service.invalid', 'lj_sk_test');
	}

	public function request(string $method, string $path, ?string $body = null, array $headers = [], ?int $timeoutMs = null): array {
		$this->requests[] = ['method' => $method, 'path' => $path, 'body' => $body, 'headers' => $headers, 'timeout' => $timeoutMs];
		return array_shift($this->answers);
	}
}

final class AdjustmentTest extends TestCase {
	private const KEY = 'oc-adjust-0123456789abcdef0123456789abcdef';

	public function testANewKeyPerFormThatTheServiceTakes(): void {
		$a = Adjustment::newKey();
		$this->assertMatchesRegularExpression('/^[A-Za-z0-9_.\-]{1,255}$/', $a);
		$this->assertNotSame($a, Adjustment::newKey());
		$this->assertSame([], Adjustment::validate(['points' => '5', 'reason' => 'x', 'idempotency_key' => $a])['errors']);
	}

	public static function forms(): array {
		return [
			'credit' => [['points' => ' 50 ', 'reason' => "  late\n delivery "], [], ['points' => 50, 'reason' => 'late delivery', 'allowNegative' => false]],
			'debit allowed negative' => [['points' => '-1200', 'reason' => 'claw-back', 'allow_negative' => '1'], [], ['points' => -1200, 'reason' => 'claw-back', 'allowNegative' => true]],
			'plus sign' => [['points' => '+7', 'reason' => 'r'], [], ['points' => 7, 'reason' => 'r', 'allowNegative' => false]],
			'zero' => [['points' => '-0', 'reason' => 'r'], ['points' => 'error_points_zero'], null],
			'not whole' => [['points' => '1.5', 'reason' => 'r'], ['points' => 'error_points'], null],
			'words' => [['points' => 'ten', 'reason' => ''], ['points' => 'error_points', 'reason' => 'error_reason'], null],
			'too many digits' => [['points' => '1000000000', 'reason' => 'r'], ['points' => 'error_points'], null],
			'empty' => [['reason' => ' '], ['points' => 'error_points', 'reason' => 'error_reason'], null],
			'long reason' => [['points' => '1', 'reason' => str_repeat('ą', 401)], ['reason' => 'error_reason_length'], null],
			'no key' => [['points' => '1', 'reason' => 'r', 'idempotency_key' => ''], ['warning' => 'error_form_key'], null],
			'foreign key' => [['points' => '1', 'reason' => 'r', 'idempotency_key' => 'a:b'], ['warning' => 'error_form_key'], null],
		];
	}

	/** @dataProvider forms */
	public function testTheFormIsCheckedBeforeAnythingIsSent(array $post, array $errors, ?array $request): void {
		$checked = Adjustment::validate($post + ['idempotency_key' => self::KEY]);
		$this->assertSame($errors, $checked['errors']);
		$this->assertSame($request === null ? null : $request + ['key' => self::KEY], $checked['request']);
	}

	public function testTheAdminIsNamedInByNotInTheReasonTheCustomerReadsAndNegativeOnlyWhenAsked(): void {
		$this->assertSame(['points' => 50, 'reason' => 'late delivery', 'by' => 'admin'], Adjustment::body(['points' => 50, 'reason' => 'late delivery', 'allowNegative' => false], 'admin'));
		$this->assertSame(['points' => -5, 'reason' => 'x', 'allowNegative' => true], Adjustment::body(['points' => -5, 'reason' => 'x', 'allowNegative' => true], ' '));
		$this->assertSame(100, mb_strlen(Adjustment::body(['points' => 1, 'reason' => 'a', 'allowNegative' => false], str_repeat('ü', 200))['by'], 'UTF-8'));
	}

	public function testTheReasonIsSentAsTypedNotAsOpenCartsRequestEncodedIt(): void {
		// OpenCart's Request runs htmlspecialchars over every POST value.
		$checked = Adjustment::validate(['points' => '5', 'reason' => 'Tom &amp; Jerry&#039;s &quot;gift&quot;', 'idempotency_key' => self::KEY]);
		$this->assertSame('Tom & Jerry\'s "gift"', $checked['request']['reason']);
	}

	public function testSentOnceWithTheFormsKey(): void {
		$client = new RecordingClient([['status' => 201, 'body' => '{"id":"ent_1","kind":"adjust","points":50}', 'error' => '']]);
		$answer = Adjustment::send($client, '7', ['points' => 50, 'reason' => 'r', 'allowNegative' => false, 'key' => self::KEY], 'ann');
		$this->assertSame([['method' => 'POST', 'path' => '/v1/members/7/adjustments', 'body' => '{"points":50,"reason":"r","by":"ann"}',
			'headers' => ['Idempotency-Key' => self::KEY], 'timeout' => 5000]], $client->requests);
		$this->assertSame(['ok' => true, 'message' => 'text_adjusted', 'entry' => ['id' => 'ent_1', 'kind' => 'adjust', 'points' => 50], 'reload' => true, 'detail' => '', 'newKey' => false], $answer);
	}

	public static function answers(): array {
		$problem = static fn(int $status, string $code, string $detail = 'd'): array => [$status, ['type' => 'about:blank', 'status' => $status, 'code' => $code, 'detail' => $detail], ''];
		return [
			'overdrawn: nothing written, a new key' => [$problem(409, 'insufficient_points', '1000 points asked, 150 available'), 'error_insufficient', true, false],
			'the key was used with other values' => [$problem(409, 'idempotency_key_reused'), 'error_key_reused', false, true],
			'not a member' => [$problem(404, 'not_found'), 'error_unknown', false, true],
			'a bare 404 from something else: refused, not "unknown"' => [[404, null, ''], 'error_refused', true, false],
			'refused' => [$problem(400, 'validation_failed', 'points: must not be 0'), 'error_refused', true, false],
			'rate limited: the same key later' => [$problem(429, 'rate_limited'), 'error_refused', false, false],
			'no answer: the same key again' => [[0, null, 'Operation timed out after 5000 milliseconds'], 'error_no_answer', false, false],
			'5xx: the same key again' => [$problem(503, 'internal_error'), 'error_service', false, false],
		];
	}

	/** @dataProvider answers */
	public function testWhatAnAnswerMeansForTheForm(array $answer, string $message, bool $newKey, bool $reload): void {
		[$status, $json, $error] = $answer;
		$outcome = Adjustment::outcome($status, $json, $error);
		$this->assertFalse($outcome['ok']);
		$this->assertSame([$message, $newKey, $reload], [$outcome['message'], $outcome['newKey'], $outcome['reload']]);
		$this->assertNotSame('', $outcome['detail']);
	}
}
