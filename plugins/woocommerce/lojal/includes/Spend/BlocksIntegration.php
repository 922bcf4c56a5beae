<?php
declare(strict_types=1);

namespace Lojal\WooCommerce\Spend;

use Automattic\WooCommerce\Blocks\Integrations\IntegrationInterface;
use Lojal\WooCommerce\Services;

/**
 * assets/spend-blocks.js as an integration of the cart and checkout blocks: WooCommerce loads it with the blocks'
 * own scripts, only on pages that hold them, and hands it the labels as the setting "lojal-spend_data".
 * Plain JavaScript on the blocks' globals (wc.blocksCheckout, wp.plugins, wp.element), no build step.
 */
final class BlocksIntegration implements IntegrationInterface {
	public const NAME = 'lojal-spend';
	public const SCRIPT = 'lojal-spend-blocks';
	public const DEPENDENCIES = ['wc-blocks-checkout', 'wc-blocks-data-store', 'wc-settings', 'wp-element', 'wp-plugins', 'wp-data', 'wp-i18n'];

	public function __construct(private Services $services) {}

	public function get_name(): string {
		return self::NAME;
	}

	/** Registers (does not enqueue) the script: it runs where a block that lists it renders. */
	public function initialize(): void {
		wp_register_script(self::SCRIPT, $this->services->assetUrl('spend-blocks.js'), self::DEPENDENCIES, LOJAL_VERSION, true);
	}

	public function get_script_handles(): array {
		return [self::SCRIPT];
	}

	public function get_editor_script_handles(): array {
		return [];
	}

	public function get_script_data(): array {
		return ['labels' => SpendWords::labels()];
	}
}
