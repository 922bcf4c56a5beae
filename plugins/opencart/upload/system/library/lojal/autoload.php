<?php
declare(strict_types=1);

// The extension's plain-PHP library; no Composer, no OpenCart classes.
foreach (['json', 'signer', 'event_ids', 'retry_policy', 'status_map', 'http_client', 'delivery', 'payload_builder', 'outbox', 'mysql_store', 'settings', 'order_reader', 'redemption', 'order_events', 'reward_import', 'earn_quote', 'activity_words', 'plural', 'order_points', 'page_insert'] as $lojalFile) {
	require_once __DIR__ . '/' . $lojalFile . '.php';
}
// The customer event both the storefront and the admin send; the admin customer page's panel and adjustments.
foreach (['customer_event', 'member_panel', 'adjustment'] as $lojalFile) {
	require_once __DIR__ . '/' . $lojalFile . '.php';
}
