<?php
declare(strict_types=1);

namespace Lojal\WooCommerce\Queue;

use Lojal\WooCommerce\Core\Outbox;
use Lojal\WooCommerce\Core\Scheduler;

/** The outbox's scheduler: Action Scheduler (bundled with WooCommerce), hook lojal_send_event, group lojal. */
final class ActionScheduler implements Scheduler {
	public function soon(string $eventId): void {
		as_enqueue_async_action(Outbox::HOOK, [$eventId], Outbox::GROUP);
	}

	public function at(int $unixSeconds, string $eventId): void {
		as_schedule_single_action($unixSeconds, Outbox::HOOK, [$eventId], Outbox::GROUP);
	}

	public function now(string $eventId): void {
		as_unschedule_all_actions(Outbox::HOOK, [$eventId], Outbox::GROUP);
		$this->soon($eventId);
	}

	/** How many of the plugin's actions are pending and failed, as Tools → Scheduled Actions lists them. */
	public static function counts(): array {
		$count = static fn(string $status): int => count(as_get_scheduled_actions(['hook' => Outbox::HOOK, 'group' => Outbox::GROUP, 'status' => $status, 'per_page' => 1000], 'ids'));
		return ['pending' => $count(\ActionScheduler_Store::STATUS_PENDING), 'failed' => $count(\ActionScheduler_Store::STATUS_FAILED)];
	}
}
