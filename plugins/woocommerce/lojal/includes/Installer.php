<?php
declare(strict_types=1);

namespace Lojal\WooCommerce;

use Lojal\WooCommerce\Core\Outbox;
use Lojal\WooCommerce\Queue\WpdbEventStore;

/**
 * Creates (and upgrades) the table where events wait to be sent, on activation and after an update. Deactivation
 * takes the plugin's actions off Action Scheduler (run with nothing listening, they would end as failed and their
 * events be forgotten); the events stay in the table, and activation schedules again every event still waiting.
 */
final class Installer {
	public const DB_VERSION = 'lojal_db_version';
	public const SCHEMA = '1';

	public static function activate(): void {
		global $wpdb;
		self::createTable();
		if (!function_exists('as_enqueue_async_action')) return;
		foreach ((new WpdbEventStore($wpdb))->waitingIds(1000) as $eventId) {
			if (!as_has_scheduled_action(Outbox::HOOK, [$eventId], Outbox::GROUP)) as_enqueue_async_action(Outbox::HOOK, [$eventId], Outbox::GROUP);
		}
	}

	/** Takes every action of the plugin's group off Action Scheduler: event sends and hold releases alike. */
	public static function deactivate(): void {
		if (function_exists('as_unschedule_all_actions')) as_unschedule_all_actions('', [], Outbox::GROUP);
	}

	public static function maybeUpgrade(): void {
		if (get_option(self::DB_VERSION) !== self::SCHEMA) self::createTable();
	}

	private static function createTable(): void {
		global $wpdb;
		require_once ABSPATH . 'wp-admin/includes/upgrade.php';
		dbDelta(WpdbEventStore::createTableSql($wpdb->prefix, $wpdb->get_charset_collate()));
		update_option(self::DB_VERSION, self::SCHEMA, true);
	}
}
