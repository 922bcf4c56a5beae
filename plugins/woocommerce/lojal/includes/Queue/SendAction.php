<?php
declare(strict_types=1);

namespace Lojal\WooCommerce\Queue;

use Lojal\WooCommerce\Core\Outbox;
use Lojal\WooCommerce\Feature;
use Lojal\WooCommerce\Services;

/**
 * The background action `lojal_send_event` (args: [event id]): one attempt through the outbox. The delivery
 * panel shows the last event sent and the last error; an event given up on also fails its action, so it shows in
 * Tools → Scheduled Actions too.
 */
final class SendAction implements Feature {
	public function __construct(private Services $services) {}

	public function register(): void {
		add_action(Outbox::HOOK, [$this, 'run'], 10, 1);
	}

	public function run(mixed $eventId): void {
		if (!is_string($eventId) || $eventId === '') return;
		$r = $this->services->outbox()->run($eventId, $this->services->sender());
		if ($r['result'] === 'sent') $this->services->settings()->recordSent($eventId, time());
		if ($r['result'] === 'retry' || $r['result'] === 'failed') $this->services->settings()->recordError($eventId, $r['error'], time());
		if ($r['result'] === 'failed') {
			throw new \RuntimeException(sprintf('Lojal gave up on event %s after %d attempts: %s', $eventId, $r['attempts'], $r['error']));
		}
	}
}
