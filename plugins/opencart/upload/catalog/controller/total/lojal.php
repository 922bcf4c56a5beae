<?php
namespace Opencart\Catalog\Controller\Extension\Lojal\Total;

/**
 * The cart's "Use N points" panel where OpenCart 4.0.2.x looks for an order total's cart module
 * (extension/<extension>/total/<code>); 4.1 looks for it at extension/<extension>/checkout/<code>. Both are the same
 * panel, whose forms post to the checkout controller in either version.
 */
class Lojal extends \Opencart\System\Engine\Controller {
	public function index(): string {
		return (string)$this->load->controller('extension/lojal/checkout/lojal');
	}
}
