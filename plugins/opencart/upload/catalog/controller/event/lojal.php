<?php
namespace Opencart\Catalog\Controller\Extension\Lojal\Event;

require_once DIR_EXTENSION . 'lojal/system/library/lojal/autoload.php';

use Lojal\OpenCart\CustomerEvent;
use Lojal\OpenCart\MysqlRedemptions;
use Lojal\OpenCart\OrderEvents;
use Lojal\OpenCart\OrderReader;
use Lojal\OpenCart\Settings;

/**
 * Storefront events: an order's history changed (model checkout/order addHistory, both spellings), a customer was
 * added or edited. Never throws into checkout: an order event whose body cannot be built is kept in the retry table
 * to be built by the cron; any other failure is logged.
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
		$events = $this->orderEvents();
		$types = $events->types($orderId);
		if (!$types) return;
		if (in_array('order.placed', $types, true)) $this->keepHold($orderId);
		// A body that cannot be built now is kept "to be built": the cron builds and sends it.
		OrderEvents::dispatch($this->settings()->outbox($this->db, DB_PREFIX), $orderId, $types, $events->body(...));
	}

	/** The customer's hold, spent by this order (it has the "lojal" total line): kept so every event carries it. */
	private function keepHold(int $orderId): void {
		$hold = $this->session->data['lojal_hold'] ?? null;
		if (!$hold) return;
		$this->load->model('checkout/order');
		$codes = array_column($this->model_checkout_order->getTotals($orderId), 'code');
		if (!in_array('lojal', $codes, true)) return;
		(new MysqlRedemptions($this->db, DB_PREFIX))->record($orderId, $hold);
		unset($this->session->data['lojal_hold']);
	}

	private function orderEvents(): OrderEvents {
		$this->load->model('checkout/order');
		$m = $this->model_checkout_order;
		return new OrderEvents(fn(int $id) => $m->getOrder($id), fn(int $id) => $m->getProducts($id), fn(int $id) => $m->getTotals($id), $this->reader(), $this->settings()->statusMap(), new MysqlRedemptions($this->db, DB_PREFIX));
	}

	private function customerChanged(int $customerId): void {
		if ($customerId <= 0) return;
		$this->load->model('account/customer');
		$row = $this->model_account_customer->getCustomer($customerId);
		if (!$row) return;
		CustomerEvent::dispatch($this->settings()->outbox($this->db, DB_PREFIX), $this->reader(), $row, (string)$this->config->get('config_language'));
	}
}
