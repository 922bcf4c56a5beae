<?php
declare(strict_types=1);

namespace Lojal\WooCommerce;

/**
 * One concern of the plugin (the settings tab, the order hooks, the sending action …). Plugin::FEATURES lists
 * them; each is made with the shared Services and registers its own WordPress hooks, nothing else.
 */
interface Feature {
	public function __construct(Services $services);

	public function register(): void;
}
