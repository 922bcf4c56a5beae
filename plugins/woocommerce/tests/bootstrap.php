<?php
declare(strict_types=1);

// The plugin's tests run without WordPress: the plain-PHP core needs none, and the WordPress glue is run
// against the small stubs in wp-stubs.php (only the functions and classes the plugin uses).
require __DIR__ . '/../lojal/includes/autoload.php';
require __DIR__ . '/support.php';
require __DIR__ . '/wp-stubs.php';
require __DIR__ . '/spend-stubs.php';
require __DIR__ . '/wpdb-stub.php';
require __DIR__ . '/settings-stubs.php';

function lojal_fixture(string $name): array {
	return json_decode((string)file_get_contents(__DIR__ . '/fixtures/' . $name), true, 512, JSON_THROW_ON_ERROR);
}
