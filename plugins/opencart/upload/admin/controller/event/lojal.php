<?php
namespace Opencart\Admin\Controller\Extension\Lojal\Event;

require_once DIR_EXTENSION . 'lojal/system/library/lojal/autoload.php';

use Lojal\OpenCart\EventIds;
use Lojal\OpenCart\Json;
use Lojal\OpenCart\OrderReader;
use Lojal\OpenCart\PayloadBuilder;
use Lojal\OpenCart\Settings;

/** Admin events: a return reaching the "complete" return status sends `order.refunded` with its line. */
class Lojal extends \Opencart\System\Engine\Controller {
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
