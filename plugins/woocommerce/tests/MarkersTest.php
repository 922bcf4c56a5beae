<?php
declare(strict_types=1);

use Lojal\WooCommerce\Storefront\Markers;
use PHPUnit\Framework\TestCase;

final class MarkersTest extends TestCase {
	public function testAPagesMarkersAreFoundOnceEachByKindAndFilled(): void {
		$html = '<li>Mug ' . Markers::marker('l', 10) . '</li><li>Mug ' . Markers::marker('l', 10) . '</li><div>' . Markers::marker('p', 16) . '</div><li>' . Markers::marker('l', 12) . '</li>';
		$this->assertSame(['l' => [10, 12], 'p' => [16]], Markers::find($html));
		$filled = Markers::fill($html, static fn(string $kind, int $id): string => $id === 12 ? '' : "[$kind$id]");
		$this->assertSame('<li>Mug [l10]</li><li>Mug [l10]</li><div>[p16]</div><li></li>', $filled);
		$this->assertSame('<li>Mug </li><li>Mug </li><div></div><li></li>', Markers::strip($html));
	}

	public function testAPageWithoutMarkersIsLeftAsItIs(): void {
		$this->assertSame(['l' => [], 'p' => []], Markers::find('<p>Hello</p>'));
		$this->assertSame('<p>Hello <!--other--></p>', Markers::fill('<p>Hello <!--other--></p>', static fn(): string => 'x'));
	}
}
