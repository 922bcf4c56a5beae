<?php
declare(strict_types=1);

namespace Lojal\WooCommerce;

/** Points as the site's language writes them, as plain text. */
final class Numbers {
	/**
	 * A whole number with the language's thousands separator. WordPress gives some separators as an entity (Polish
	 * and Russian: "&nbsp;"); these words also go into scripts' text and order fee names, so the character is kept,
	 * not the entity.
	 */
	public static function plain(int $n): string {
		return html_entity_decode(number_format_i18n($n), ENT_QUOTES | ENT_HTML5, 'UTF-8');
	}
}
