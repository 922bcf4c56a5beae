<?php
declare(strict_types=1);

namespace Lojal\WooCommerce;

use Lojal\WooCommerce\Core\HttpClient;
use Lojal\WooCommerce\Core\Outbox;
use Lojal\WooCommerce\Core\Sender;
use Lojal\WooCommerce\Core\ServicePause;
use Lojal\WooCommerce\Queue\ActionScheduler;
use Lojal\WooCommerce\Queue\WpdbEventStore;

/** What the features share: settings, the outbox, clients for the service. Made once, in Plugin::boot. */
final class Services {
	/** @param ?Outbox $outbox another outbox than the plugin's table and Action Scheduler (the tests' one in memory) */
	public function __construct(public readonly string $pluginFile, private ?Outbox $outbox = null) {}

	public function settings(): Settings {
		return new Settings();
	}

	public function store(): WpdbEventStore {
		global $wpdb;
		return new WpdbEventStore($wpdb);
	}

	public function outbox(): Outbox {
		return $this->outbox ??= new Outbox($this->store(), new ActionScheduler());
	}

	/** A client for the service with these settings (the saved ones by default), or null while URL or key is missing. */
	public function client(?Settings $settings = null, float $timeoutSeconds = 5.0): ?HttpClient {
		$settings ??= $this->settings();
		if ($settings->url() === '' || $settings->apiKey() === '') return null;
		return new HttpClient($settings->url(), $settings->apiKey(), new WpTransport(), $timeoutSeconds);
	}

	/** The event sender, or null while the settings are incomplete. */
	public function sender(): ?Sender {
		$settings = $this->settings();
		$client = $this->client($settings, Sender::TIMEOUT_SECONDS);
		return $client !== null && $settings->secret() !== '' ? new Sender($client, $settings->secret()) : null;
	}

	/** The service remembered as down for 30 s after a page's call got no answer, in a transient: the pages' quotes skip it. */
	public function pause(): ServicePause {
		return new ServicePause(static fn(string $key): mixed => get_transient($key), static function (string $key, mixed $value, int $seconds): void {
			set_transient($key, $value, $seconds);
		});
	}

	public function assetUrl(string $path): string {
		return plugins_url('assets/' . $path, $this->pluginFile);
	}
}
