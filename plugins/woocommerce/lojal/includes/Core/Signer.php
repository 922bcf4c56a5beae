<?php
declare(strict_types=1);

namespace Lojal\WooCommerce\Core;

/** `Lojal-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`, as the service checks it. */
final class Signer {
	public static function header(string $secret, string $rawBody, int $unixSeconds): string {
		return 't=' . $unixSeconds . ',v1=' . hash_hmac('sha256', $unixSeconds . '.' . $rawBody, $secret);
	}
}
