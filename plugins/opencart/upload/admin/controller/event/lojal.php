<?php
namespace Opencart\Admin\Controller\Extension\Lojal\Event;

require_once DIR_EXTENSION . 'lojal/system/library/lojal/autoload.php';

use Lojal\OpenCart\CustomerEvent;
use Lojal\OpenCart\EventIds;
use Lojal\OpenCart\Json;
use Lojal\OpenCart\MemberPanel;
use Lojal\OpenCart\OrderReader;
use Lojal\OpenCart\PayloadBuilder;
use Lojal\OpenCart\Settings;

/**
 * Admin events: a return reaching the "complete" return status sends `order.refunded` with its line; a customer
 * added or edited by the shop owner sends `customer.upserted` (as the storefront does); the customer form gets the
 * loyalty panel's block, which loads its content by AJAX (extension/lojal/customer/points).
 */
class Lojal extends \Opencart\System\Engine\Controller {
	public function addCustomer(string &$route, array &$args, mixed &$output): void {
		$this->customerChanged((int)$output);
	}

	public function editCustomer(string &$route, array &$args, mixed &$output): void {
		$this->customerChanged((int)($args[0] ?? 0));
	}

	/** Never throws into the admin's save: a failure is logged; an event the service cannot take waits in the retry table. */
	private function customerChanged(int $customerId): void {
		$settings = new Settings(fn(string $key) => $this->config->get($key));
		if (!$settings->enabled() || $customerId <= 0) return;
		try {
			$this->load->model('customer/customer');
			$row = $this->model_customer_customer->getCustomer($customerId);
			if (!$row) return;
			$reader = new OrderReader($this->db, DB_PREFIX, (string)$this->config->get('config_currency'), date_default_timezone_get());
			CustomerEvent::dispatch($settings->outbox($this->db, DB_PREFIX), $reader, $row, (string)$this->config->get('config_language'));
		} catch (\Throwable $e) {
			$this->log->write('Lojal: customer ' . $customerId . ': ' . $e->getMessage());
		}
	}

	/** View event on customer/customer_form: an existing customer's page gets the panel's block (its content comes by AJAX). */
	public function customerForm(string &$route, array &$data, mixed &$output): void {
		$customerId = (int)($data['customer_id'] ?? 0);
		if ($customerId <= 0 || !is_string($output) || !$this->user->hasPermission('access', 'customer/customer')) return;
		// A group without the panel's route would get OpenCart's permission page in the card: no panel for it.
		if (!$this->user->hasPermission('access', 'extension/lojal/customer/points')) return;
		try {
			$this->load->language('extension/lojal/customer/points');
			$block = $this->load->view('extension/lojal/customer/points_block', [
				'panel' => $this->url->link('extension/lojal/customer/points', 'user_token=' . $this->session->data['user_token'] . '&customer_id=' . $customerId),
				'text_title' => $this->language->get('text_title'),
				'text_loading' => $this->language->get('text_loading'),
				'error_load' => $this->language->get('error_load'),
			]);
			$output = MemberPanel::inject($output, $block);
		} catch (\Throwable $e) {
			$this->log->write('Lojal: customer panel: ' . $e->getMessage());
		}
	}

	public function returnHistory(string &$route, array &$args, mixed &$output): void {
		$settings = new Settings(fn(string $key) => $this->config->get($key));
		if (!$settings->enabled() || (int)($args[1] ?? 0) !== $settings->returnCompleteStatus()) return;
		try {
			$this->returnCompleted((int)$args[0], $settings);
		} catch (\Throwable $e) {
			$this->log->write('Lojal: return ' . (int)$args[0] . ': ' . $e->getMessage());
		}
	}

	private function returnCompleted(int $returnId, Settings $settings): void {
		$this->load->model('sale/returns');
		$return = $this->model_sale_returns->getReturn($returnId);
		if (!$return || (int)$return['order_id'] <= 0) return;
		$orderId = (int)$return['order_id'];
		$this->load->model('sale/order');
		$row = $this->model_sale_order->getOrder($orderId);
		if (!$row) return;
		$reader = new OrderReader($this->db, DB_PREFIX, (string)$this->config->get('config_currency'), date_default_timezone_get());
		$status = $settings->statusMap()->statusWord((int)$row['order_status_id']);
		$order = $reader->order($row, $this->model_sale_order->getProducts($orderId), $this->model_sale_order->getTotals($orderId), $status);
		$refund = $reader->builder()->refundForReturn($order, $return);
		$id = EventIds::returned((string)$returnId);
		$body = Json::encode(PayloadBuilder::envelope($id, 'order.refunded', gmdate('Y-m-d\TH:i:s\Z'), ['order' => $order, 'refund' => $refund]));
		$settings->outbox($this->db, DB_PREFIX)->dispatch($id, 'order.refunded', $body);
	}
}
