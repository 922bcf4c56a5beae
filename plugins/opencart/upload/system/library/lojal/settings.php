<?php
declare(strict_types=1);

namespace Lojal\OpenCart;

/** The extension's settings (`other_lojal_*` in OpenCart's setting table), read through a getter. */
final class Settings {
	/** @var callable(string):mixed */
	private $get;

	public function __construct(callable $get) {
		$this->get = $get;
	}

	public function value(string $key): mixed {
		return ($this->get)('other_lojal_' . $key);
	}

	public function enabled(): bool {
		return (bool)$this->value('status');
	}

	public function configured(): bool {
		return trim((string)$this->value('url')) !== '' && trim((string)$this->value('api_key')) !== '' && trim((string)$this->value('webhook_secret')) !== '';
	}

	public function client(int $timeoutMs = 2000): ?HttpClient {
		return $this->configured() ? new HttpClient(trim((string)$this->value('url')), trim((string)$this->value('api_key')), $timeoutMs) : null;
	}

	public function delivery(): ?Delivery {
		$client = $this->client();
		return $client === null ? null : new Delivery($client, trim((string)$this->value('webhook_secret')));
	}

	public function outbox(object $db, string $prefix): Outbox {
		return new Outbox(new MysqlStore($db, $prefix), $this->delivery());
	}

	public function statusMap(): StatusMap {
		$list = fn(string $key): array => array_map('intval', (array)($this->value('status_' . $key) ?: []));
		return new StatusMap(['paid' => $list('paid'), 'completed' => $list('completed'), 'cancelled' => $list('cancelled'), 'refunded' => $list('refunded')]);
	}

	public function returnCompleteStatus(): int {
		return (int)($this->value('return_status') ?: 3);
	}
}
