<?php
declare(strict_types=1);

use PHPUnit\Framework\TestCase;

/**
 * OpenCart's url->link() writes "&amp;" for HTML. A URL handed to JavaScript keeps that "&amp;", so its user_token
 * is lost and the call lands on the login page (seen in a real OpenCart 4.1: "Test connection" answered HTML).
 * Templates give scripts only `*_js` variables, which the controllers decode.
 */
final class TemplatesTest extends TestCase {
	public function testUrlsInScriptsAreDecodedForJavaScript(): void {
		$root = __DIR__ . '/../upload';
		$files = new RegexIterator(new RecursiveIteratorIterator(new RecursiveDirectoryIterator($root)), '/\.twig$/');
		$checked = 0;
		foreach ($files as $file) {
			preg_match_all("/url:\s*'\{\{\s*([a-z_]+)/", (string)file_get_contents((string)$file), $m);
			foreach ($m[1] as $name) {
				$checked++;
				$this->assertStringEndsWith('_js', $name, basename((string)$file) . ": a script's URL must be a decoded *_js variable");
				$controllers = (string)shell_exec('grep -rhF ' . escapeshellarg("\$data['$name'] = html_entity_decode(") . ' ' . escapeshellarg($root));
				$this->assertNotSame('', trim($controllers), "$name is set with html_entity_decode()");
			}
		}
		$this->assertGreaterThan(0, $checked);
	}

	/**
	 * OpenCart 4 renders Twig without autoescaping. Text that comes from the service (tier names, reasons typed by
	 * any client of the API, problem details) is printed escaped on the customer's and the admin's points pages.
	 */
	public function testTextFromTheServiceIsEscapedInThePointsPages(): void {
		$pages = [
			'admin/view/template/customer/points.twig' => ['tier', 'next', 'line', 'entry.text', 'message'],
			'catalog/view/template/account/points.twig' => ['tier', 'next', 'line', 'row.text', 'held', 'error'],
		];
		foreach ($pages as $file => $names) {
			$twig = (string)file_get_contents(__DIR__ . '/../upload/' . $file);
			foreach ($names as $name) {
				$this->assertStringNotContainsString('{{ ' . $name . ' }}', $twig, "$file prints $name raw");
				$this->assertStringContainsString('{{ ' . $name . '|e }}', $twig, "$file prints $name");
			}
		}
	}
}
