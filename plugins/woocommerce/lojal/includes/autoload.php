<?php
declare(strict_types=1);

// The plugin's classes, PSR-4 style: Lojal\WooCommerce\Core\Money is includes/Core/Money.php. No Composer.
spl_autoload_register(static function (string $class): void {
	$prefix = 'Lojal\\WooCommerce\\';
	if (strncmp($class, $prefix, strlen($prefix)) !== 0) return;
	$file = __DIR__ . '/' . str_replace('\\', '/', substr($class, strlen($prefix))) . '.php';
	if (is_file($file)) require $file;
});
