<?php
declare(strict_types=1);

require __DIR__ . '/../upload/system/library/lojal/autoload.php';

function lojal_fixture(string $name): array {
	return json_decode((string)file_get_contents(__DIR__ . '/fixtures/' . $name), true, 512, JSON_THROW_ON_ERROR);
}

/**
 * An HttpClient that answers its JSON calls from a script instead of the network, in order (the last answer again
 * once the script runs out), and records each call.
 */
final class ScriptedClient extends Lojal\OpenCart\HttpClient {
	/** @var list<array{method:string, path:string, payload:?array, timeout:?int}> */
	public array $calls = [];

	/** @param non-empty-list<array{status:int, json:mixed, error:string}> $answers */
	public function __construct(private array $answers) {
		parent::__construct('http://service.invalid', 'lj_sk_test');
	}

	public function json(string $method, string $path, ?array $payload = null, ?int $timeoutMs = null): array {
		$this->calls[] = ['method' => $method, 'path' => $path, 'payload' => $payload, 'timeout' => $timeoutMs];
		return count($this->answers) > 1 ? array_shift($this->answers) : $this->answers[0];
	}
}
