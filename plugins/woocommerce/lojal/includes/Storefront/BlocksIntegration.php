<?php
declare(strict_types=1);

namespace Lojal\WooCommerce\Storefront;

use Automattic\WooCommerce\Blocks\Integrations\IntegrationInterface;
use Lojal\WooCommerce\Services;

/** storefront-blocks.js in the cart and checkout blocks (plain JS, no build step: wc.blocksCheckout, wp.plugins, wp.element). */
final class BlocksIntegration implements IntegrationInterface {
	public const HANDLE = 'lojal-storefront-blocks';

	public function __construct(private Services $services) {}

	public function get_name() {
		return 'lojal';
	}

	public function initialize() {
		wp_register_script(self::HANDLE, $this->services->assetUrl('storefront-blocks.js'), ['wc-blocks-checkout', 'wp-plugins', 'wp-element'], LOJAL_VERSION, true);
		wp_enqueue_style('lojal-storefront', $this->services->assetUrl('storefront-earn.css'), [], LOJAL_VERSION);
	}

	public function get_script_handles() {
		return [self::HANDLE];
	}

	public function get_editor_script_handles() {
		return [];
	}

	public function get_script_data() {
		return [];
	}
}
