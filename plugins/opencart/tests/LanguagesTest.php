<?php
declare(strict_types=1);

use PHPUnit\Framework\TestCase;

/** Every language file of the extension exists in the four languages with the same keys as en-gb. */
final class LanguagesTest extends TestCase {
	private const OTHERS = ['pl-pl', 'ro-ro', 'ru-ru'];

	private static function keys(string $file): array {
		$_ = [];
		require $file;
		return array_keys($_);
	}

	public function testEveryTextIsInEveryLanguage(): void {
		$root = __DIR__ . '/../upload';
		$files = glob($root . '/{admin,catalog}/language/en-gb/*/*.php', GLOB_BRACE);
		$this->assertNotEmpty($files);
		foreach ($files as $english) {
			$keys = self::keys($english);
			foreach (self::OTHERS as $language) {
				$file = str_replace('/en-gb/', '/' . $language . '/', $english);
				$this->assertFileExists($file);
				$this->assertEqualsCanonicalizing($keys, self::keys($file), substr($file, strlen($root)));
			}
		}
	}
}
