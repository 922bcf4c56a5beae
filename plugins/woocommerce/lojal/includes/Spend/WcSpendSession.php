<?php
declare(strict_types=1);

namespace Lojal\WooCommerce\Spend;

/** SpendSession over WooCommerce's session (the shopper's cart session; none in the admin, cron or the CLI). */
final class WcSpendSession implements SpendSession {
	public function __construct(private \WC_Session $session) {}

	/** The shopper's session, or null where there is none. */
	public static function current(): ?self {
		$wc = function_exists('WC') ? WC() : null;
		return $wc !== null && isset($wc->session) && $wc->session instanceof \WC_Session ? new self($wc->session) : null;
	}

	public function get(string $key): mixed {
		return $this->session->get($key);
	}

	public function set(string $key, mixed $value): void {
		$this->session->set($key, $value);
	}
}
