<?php
declare(strict_types=1);

// WooCommerce's namespaced types that spending points and the earn figure use: the blocks' integration interface,
// the Store API's error and its cart schema's identifier (the real ones in WooCommerce 11 have these shapes).

namespace Automattic\WooCommerce\Blocks\Integrations {
	interface IntegrationInterface {
		public function get_name();

		public function initialize();

		public function get_script_handles();

		public function get_editor_script_handles();

		public function get_script_data();
	}
}

namespace Automattic\WooCommerce\StoreApi\Schemas\V1 {
	class CartSchema {
		const IDENTIFIER = 'cart';
	}
}

namespace Automattic\WooCommerce\StoreApi\Exceptions {
	class RouteException extends \Exception {
		public function __construct(public string $error_code, string $message, int $http_status_code = 400, public array $additional_data = []) {
			parent::__construct($message, $http_status_code);
		}
	}
}
