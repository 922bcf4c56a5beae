<?php
declare(strict_types=1);

require_once __DIR__ . '/admin-panel-stubs.php';

use Lojal\WooCommerce\AdminPanel\AdjustmentForm;
use Lojal\WooCommerce\AdminPanel\Words;
use Lojal\WooCommerce\Core\HttpClient;
use PHPUnit\Framework\TestCase;

final class AdjustmentFormTest extends TestCase {
	private const KEY = 'wc-adjust-0123456789abcdef0123456789abcdef';

	protected function setUp(): void {
		WpStub::reset();
		AdminPanelStub::reset();
	}

	private static function form(array $fields): array {
		return AdjustmentForm::validate($fields + ['points' => '50', 'reason' => 'Goodwill', 'idempotency_key' => self::KEY]);
	}

	public function testANewKeyPerFormThatTheFormAccepts(): void {
		$a = AdjustmentForm::newKey();
		$this->assertMatchesRegularExpression('/^wc-adjust-[0-9a-f]{32}$/', $a);
		$this->assertNotSame($a, AdjustmentForm::newKey());
		$this->assertSame([], self::form(['idempotency_key' => $a])['errors']);
	}

	public function testPointsAreAWholeNumberOfUpToNineDigitsNotZero(): void {
		foreach (['50' => 50, '-50' => -50, '+7' => 7, ' 120 ' => 120, '999999999' => 999999999, '-000012' => -12] as $typed => $points) {
			$this->assertSame($points, self::form(['points' => (string)$typed])['request']['points'], (string)$typed);
		}
		foreach (['', 'abc', '1.5', '1,000', '1 000', '1e3', '1234567890', '--5', '5-'] as $typed) {
			$this->assertSame(['points' => 'points'], self::form(['points' => $typed])['errors'], $typed);
		}
		foreach (['0', '-0', '+000'] as $typed) $this->assertSame(['points' => 'points_zero'], self::form(['points' => $typed])['errors'], $typed);
	}

	public function testTheReasonIsRequiredAndAtMost400Characters(): void {
		$this->assertSame(['reason' => 'reason'], self::form(['reason' => " \n\t "])['errors']);
		$this->assertSame("Late parcel, sorry", self::form(['reason' => "  Late \n parcel,\tsorry "])['request']['reason']);
		$this->assertSame([], self::form(['reason' => str_repeat('ł', 400)])['errors'], '400 characters, 800 bytes');
		$this->assertSame(['reason' => 'reason_length'], self::form(['reason' => str_repeat('ł', 401)])['errors']);
	}

	public function testAFormWithoutItsKeyIsNotSent(): void {
		foreach (['', 'oc-adjust-0123456789abcdef0123456789abcdef', 'wc-adjust-XYZ', self::KEY . '0'] as $key) {
			$this->assertSame(['warning' => 'form_key'], self::form(['idempotency_key' => $key])['errors'], $key);
		}
		$all = AdjustmentForm::validate([]);
		$this->assertSame(['points' => 'points', 'reason' => 'reason', 'warning' => 'form_key'], $all['errors']);
		$this->assertNull($all['request']);
	}

	public function testTheBodyNamesWhoInByNeverInTheReason(): void {
		$request = self::form(['points' => '-30', 'allow_negative' => '1'])['request'];
		$this->assertSame(['points' => -30, 'reason' => 'Goodwill', 'allowNegative' => true, 'by' => 'Shop Admin'], AdjustmentForm::body($request, ' Shop  Admin '));
		$request = self::form([])['request'];
		$this->assertFalse($request['allowNegative']);
		$this->assertSame(['points' => 50, 'reason' => 'Goodwill'], AdjustmentForm::body($request, ''), 'no by when nobody is named; allowNegative only when ticked');
		$this->assertSame(100, mb_strlen(AdjustmentForm::body($request, str_repeat('Ж', 150))['by']), 'by is at most 100 characters');
		$this->assertFalse(self::form(['allow_negative' => '0'])['request']['allowNegative']);
	}

	public function testItIsSentOnceUnderTheFormsKeyWithAWritesTimeout(): void {
		$transport = new FakeTransport([['status' => 201, 'body' => '{"id":"ent_1","kind":"adjust","points":50,"reason":"Goodwill","by":"Shop Admin"}']]);
		$client = new HttpClient('https://lojal.test/', 'lj_sk_1', $transport);
		$outcome = AdjustmentForm::send($client, '7', self::form([])['request'], 'Shop Admin');
		$this->assertCount(1, $transport->requests);
		$sent = $transport->requests[0];
		$this->assertSame(['POST', 'https://lojal.test/v1/members/7/adjustments', 5.0], [$sent['method'], $sent['url'], $sent['timeout']]);
		$this->assertSame(self::KEY, $sent['headers']['Idempotency-Key']);
		$this->assertSame(['points' => 50, 'reason' => 'Goodwill', 'by' => 'Shop Admin'], json_decode((string)$sent['body'], true));
		$this->assertSame(['ok' => true, 'message' => 'adjusted', 'reload' => true, 'newKey' => false], array_intersect_key($outcome, array_flip(['ok', 'message', 'reload', 'newKey'])));
		$this->assertSame('ent_1', $outcome['entry']['id']);
	}

	/** @return iterable<string, array{int, ?array, string, string, bool, bool}> status, problem, transport error → message, newKey, reload */
	public static function answers(): iterable {
		yield 'created' => [201, ['id' => 'e'], '', 'adjusted', false, true];
		yield 'no answer: the same form again is safe' => [0, null, 'Operation timed out after 5000 milliseconds', 'no_answer', false, false];
		yield 'a 5xx: rolled back, the same form again is safe' => [503, ['code' => 'unavailable'], '', 'service', false, false];
		yield 'overdraw: nothing written' => [409, ['code' => 'insufficient_points', 'detail' => 'Available 10, requested 100'], '', 'insufficient', true, false];
		yield 'the key with other values' => [409, ['code' => 'idempotency_key_reused'], '', 'key_reused', false, true];
		yield 'unknown member' => [404, ['code' => 'not_found'], '', 'unknown', true, true];
		yield 'a bare 404 is not the service' => [404, null, '', 'refused', true, false];
		yield 'invalid' => [422, ['code' => 'validation_failed', 'detail' => 'points'], '', 'refused', true, false];
		yield 'rate limited: the key stays' => [429, ['code' => 'rate_limited'], '', 'refused', false, false];
	}

	/** @dataProvider answers */
	public function testEachAnswerMeansSomethingForTheForm(int $status, ?array $problem, string $error, string $message, bool $newKey, bool $reload): void {
		$outcome = AdjustmentForm::outcome($status, $problem, $error);
		$this->assertSame([$status >= 200 && $status < 300, $message, $newKey, $reload], [$outcome['ok'], $outcome['message'], $outcome['newKey'], $outcome['reload']]);
	}

	public function testTheAnswersInTheShopOwnersWords(): void {
		$words = static fn(int $status, ?array $problem, string $error = '', int $points = 50): string => Words::adjustment(AdjustmentForm::outcome($status, $problem, $error), $points);
		$this->assertSame('1 point added.', $words(201, [], '', 1));
		$this->assertSame('1,500 points added.', $words(201, [], '', 1500));
		$this->assertSame('40 points taken away.', $words(201, [], '', -40));
		$this->assertMatchesRegularExpression('/does not have that many points.*Nothing was changed\./', $words(409, ['code' => 'insufficient_points']));
		$this->assertSame('No answer from the Lojal service (Operation timed out). Sending the same form again is safe: it is never applied twice.', $words(0, null, 'Operation timed out'));
		$this->assertStringContainsString('(HTTP 502)', $words(502, null));
		$this->assertStringContainsString('sending the same form again is safe', strtolower($words(502, null)));
		$this->assertStringContainsString('already sent with other values', $words(409, ['code' => 'idempotency_key_reused']));
		$this->assertStringContainsString('does not know this customer', $words(404, ['code' => 'not_found']));
		$this->assertSame('The Lojal service refused the adjustment (HTTP 422 validation_failed: reason). Nothing was changed.', $words(422, ['code' => 'validation_failed', 'detail' => 'reason']));
	}
}
