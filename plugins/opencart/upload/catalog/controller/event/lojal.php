<?php
namespace Opencart\Catalog\Controller\Extension\Lojal\Event;

require_once DIR_EXTENSION . 'lojal/system/library/lojal/autoload.php';

use Lojal\OpenCart\EventIds;
use Lojal\OpenCart\Json;
use Lojal\OpenCart\OrderReader;
use Lojal\OpenCart\PayloadBuilder;
use Lojal\OpenCart\Settings;

/**
 * Storefront events: an order's history changed (model checkout/order addHistory, both spellings), a customer was
 * added or edited. Never throws into checkout: a failure is logged and the event waits in the retry table.
 */
class Lojal extends \Opencart\System\Engine\Controller {
	public function order(string &$route, array &$args, mixed &$output): void {
		$this->guard(fn() => $this->orderChanged((int)($args[0] ?? 0)));
	}

	public function addCustomer(string &$route, array &$args, mixed &$output): void {
		$this->guard(fn() => $this->customerChanged((int)$output));
	}

	public function editCustomer(string &$route, array &$args, mixed &$output): void {
		$this->guard(fn() => $this->customerChanged((int)($args[0] ?? 0)));
	}

	private function guard(callable $work): void {
		if (!$this->settings()->enabled()) return;
		try {
			$work();
		} catch (\Throwable $e) {
			$this->log->write('Lojal: ' . $e->getMessage());
		}
	}

	private function settings(): Settings {
		return new Settings(fn(string $key) => $this->config->get($key));
	}

	private function reader(): OrderReader {
		return new OrderReader($this->db, DB_PREFIX, (string)$this->config->get('config_currency'), date_default_timezone_get());
	}

	/** Re-reads the order: its status may have changed again inside addHistory. */
	private function orderChanged(int $orderId): void {
		$this->load->model('checkout/order');
		$row = $this->model_checkout_order->getOrder($orderId);
		if (!$row || (int)$row['order_status_id'] === 0) return;
		$settings = $this->settings();
		$map = $settings->statusMap();
		$statusId = (int)$row['order_status_id'];
		$reader = $this->reader();
		$types = $reader->isFirstHistory($orderId) ? ['order.placed'] : [];
		$type = $map->typeFor($statusId);
		if ($type !== null) $types[] = $type;
		if (!$types) return;
		$order = $reader->order($row, $this->model_checkout_order->getProducts($orderId), $this->model_checkout_order->getTotals($orderId), $map->statusWord($statusId));
		$outbox = $settings->outbox($this->db, DB_PREFIX);
		foreach ($types as $t) {
			$data = ['order' => $order];
			if ($t === 'order.refunded') $data['refund'] = $reader->builder()->refundForOrder($order);
			$id = EventIds::order((string)$orderId, $t);
			$outbox->dispatch($id, $t, Json::encode(PayloadBuilder::envelope($id, $t, gmdate('Y-m-d\TH:i:s\Z'), $data)));
		}
	}

	private function customerChanged(int $customerId): void {
		if ($customerId <= 0) return;
		$this->load->model('account/customer');
		$row = $this->model_account_customer->getCustomer($customerId);
		if (!$row) return;
		$reader = $this->reader();
		$language = $reader->languageCode((int)($row['language_id'] ?? 0), (string)$this->config->get('config_language'));
		$customer = $reader->builder()->customer($row + ['language_code' => $language]);
		$customer['marketingConsent'] = (bool)($row['newsletter'] ?? false);
		$id = EventIds::customer((string)$customerId, $customer);
		$body = Json::encode(PayloadBuilder::envelope($id, 'customer.upserted', gmdate('Y-m-d\TH:i:s\Z'), ['customer' => $customer]));
		$this->settings()->outbox($this->db, DB_PREFIX)->dispatch($id, 'customer.upserted', $body);
	}
}
