<?php
declare(strict_types=1);

namespace Lojal\OpenCart;

/** Where the extension puts its bits into a theme's rendered page, without editing the theme. */
final class PageInsert {
	/**
	 * Puts a list item right after the content's item that links to $href (the account page's "Order history");
	 * failing that, at the end of the first list inside the page's content: never into the header's account menu
	 * or the breadcrumb above it. A page without a content block is left as it is.
	 */
	public static function afterListItem(string $html, string $href, string $item): string {
		// The page's own content: the header above it has an account menu with the same links.
		$content = strpos($html, 'id="content"');
		if ($content === false) return $html;
		$link = $href === '' ? false : strpos($html, '"' . $href . '"', $content);
		$end = $link === false ? false : strpos($html, '</li>', $link);
		if ($end !== false) return substr_replace($html, $item, $end + 5, 0);
		$list = strpos($html, '</ul>', $content);
		return $list === false ? $html : substr_replace($html, $item, $list, 0);
	}
}
