<?php
declare(strict_types=1);

namespace Lojal\OpenCart;

final class Json {
	/** The exact bytes that are signed and sent. */
	public static function encode(mixed $value): string {
		return json_encode($value, JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE | JSON_THROW_ON_ERROR);
	}
}
