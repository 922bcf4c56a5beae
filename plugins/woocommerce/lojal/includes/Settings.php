<?php
declare(strict_types=1);

namespace Lojal\WooCommerce;

use Lojal\WooCommerce\Core\StatusMap;

/** The plugin's WordPress options (WooCommerce → Settings → Lojal writes them). */
final class Settings {
	public const ENABLED = 'lojal_enabled';
	public const URL = 'lojal_service_url';
	public const API_KEY = 'lojal_api_key';
	public const SECRET = 'lojal_webhook_secret';
	public const LAST_ERROR = 'lojal_last_error';
	public const LAST_SENT = 'lojal_last_sent';
	/** The points import under way: {totals: source => customers counted at its start, done: source => customers sent, startedAt}. */
	public const IMPORT = 'lojal_import';
	/** Every option the plugin keeps (uninstall.php removes them). */
	public const OPTIONS = [self::ENABLED, self::URL, self::API_KEY, self::SECRET, StatusMap::OPTION, self::LAST_ERROR, self::LAST_SENT, self::IMPORT, Installer::DB_VERSION];

	/** @var callable(string, mixed): mixed */
	private $read;

	/** @param ?callable(string $option, mixed $default): mixed $read another source of values (an unsaved form) */
	public function __construct(?callable $read = null) {
		$this->read = $read ?? static fn(string $option, mixed $default): mixed => get_option($option, $default);
	}

	public function enabled(): bool {
		return ($this->read)(self::ENABLED, 'no') === 'yes';
	}

	public function url(): string {
		return trim((string)($this->read)(self::URL, ''));
	}

	public function apiKey(): string {
		return trim((string)($this->read)(self::API_KEY, ''));
	}

	public function secret(): string {
		return trim((string)($this->read)(self::SECRET, ''));
	}

	public function configured(): bool {
		return $this->url() !== '' && $this->apiKey() !== '' && $this->secret() !== '';
	}

	/** The saved status mapping, or null before the settings were saved (StatusMap's defaults then). */
	public function statusMap(): ?array {
		$saved = ($this->read)(StatusMap::OPTION, null);
		return is_array($saved) ? $saved : null;
	}

	/** @return ?array{at:int, event:string, error:string} */
	public function lastError(): ?array {
		$error = get_option(self::LAST_ERROR, null);
		return is_array($error) ? $error : null;
	}

	/** @return ?array{at:int, event:string} */
	public function lastSent(): ?array {
		$sent = get_option(self::LAST_SENT, null);
		return is_array($sent) ? $sent : null;
	}

	public function recordSent(string $eventId, int $at): void {
		update_option(self::LAST_SENT, ['at' => $at, 'event' => $eventId], false);
	}

	public function recordError(string $eventId, string $error, int $at): void {
		update_option(self::LAST_ERROR, ['at' => $at, 'event' => $eventId, 'error' => mb_substr($error, 0, 500)], false);
	}
}
