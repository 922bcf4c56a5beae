<?php
/**
 * Removes the plugin's options, its marks on users and its scheduled actions. Its table of events goes too,
 * unless events still wait in it to be sent: those are kept, and sent if the plugin is installed again.
 */

declare(strict_types=1);

defined('WP_UNINSTALL_PLUGIN') || exit;

require_once __DIR__ . '/includes/autoload.php';

use Lojal\WooCommerce\Core\Outbox;
use Lojal\WooCommerce\Customers\CustomerHooks;
use Lojal\WooCommerce\Queue\WpdbEventStore;
use Lojal\WooCommerce\Settings;

global $wpdb;

foreach (Settings::OPTIONS as $lojal_option) delete_option($lojal_option);
delete_option(\Lojal\WooCommerce\Storefront\AccountPoints::REWRITE_OPTION);
delete_metadata('user', 0, CustomerHooks::SENT_META, '', true);
if (function_exists('as_unschedule_all_actions')) as_unschedule_all_actions('', [], Outbox::GROUP);

$lojal_store = new WpdbEventStore($wpdb);
if ($lojal_store->exists() && $lojal_store->counts()['waiting'] === 0) {
	$wpdb->query('DROP TABLE IF EXISTS ' . WpdbEventStore::table($wpdb->prefix)); // phpcs:ignore WordPress.DB.DirectDatabaseQuery.SchemaChange
}
