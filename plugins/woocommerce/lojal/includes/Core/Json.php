<?php
declare(strict_types=1);

namespace Lojal\WooCommerce\Core;

final class Json {
	/** The exact bytes that are stored, signed and sent: encoded once. */
	public static function encode(mixed $value): string {
		return json_encode($value, JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE | JSON_THROW_ON_ERROR);
	}
}
