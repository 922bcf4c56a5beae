<?php
declare(strict_types=1);

use PHPUnit\Framework\TestCase;

/**
 * WordPress gives Polish and Russian thousands separators as "&nbsp;"; the plugin's words go into scripts' text
 * and order fee names too, so every number is written through Numbers::plain, which keeps the character.
 */
final class NumbersTest extends TestCase {
	public function testOnlyNumbersCallsWordPresssFormatter(): void {
		$root = __DIR__ . '/../lojal/includes';
		$files = new RegexIterator(new RecursiveIteratorIterator(new RecursiveDirectoryIterator($root)), '/\.php$/');
		$callers = [];
		foreach ($files as $file) {
			if (str_contains((string)file_get_contents((string)$file), 'number_format_i18n(')) $callers[] = substr((string)$file, strlen($root) + 1);
		}
		$this->assertSame(['Numbers.php'], $callers);
	}

	public function testTheSeparatorIsACharacterNotAnEntity(): void {
		$script = 'function number_format_i18n(int|float $n): string { return number_format($n, 0, "", "&nbsp;"); }'
			. ' require "' . __DIR__ . '/../lojal/includes/Numbers.php"; echo Lojal\WooCommerce\Numbers::plain(1200);';
		$this->assertSame("1\u{00A0}200", shell_exec('php -r ' . escapeshellarg($script)));
	}
}
