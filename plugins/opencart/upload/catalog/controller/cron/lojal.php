<?php
namespace Opencart\Catalog\Controller\Extension\Lojal\Cron;

require_once DIR_EXTENSION . 'lojal/system/library/lojal/autoload.php';

use Lojal\OpenCart\MysqlRedemptions;
use Lojal\OpenCart\OrderEvents;
use Lojal\OpenCart\OrderReader;
use Lojal\OpenCart\Settings;

/**
 * OpenCart's cron (Extensions > Cron Jobs, code `lojal`): retries the deliveries that are due, first building the
 * bodies of order events that could not be built when they happened.
 */
class Lojal extends \Opencart\System\Engine\Controller {
	public function index(int $cron_id = 0, string $code = '', string $cycle = '', string $date_added = '', string $date_modified = ''): void {
		$settings = new Settings(fn(string $key) => $this->config->get($key));
		if (!$settings->enabled()) return;
		$this->load->model('checkout/order');
		$m = $this->model_checkout_order;
		$reader = new OrderReader($this->db, DB_PREFIX, (string)$this->config->get('config_currency'), date_default_timezone_get());
		$events = new OrderEvents(fn(int $id) => $m->getOrder($id), fn(int $id) => $m->getProducts($id), fn(int $id) => $m->getTotals($id), $reader, $settings->statusMap(), new MysqlRedemptions($this->db, DB_PREFIX));
		$result = $settings->outbox($this->db, DB_PREFIX)->retryDue(200, $events->bodyFor(...));
		if ($result['sent'] || $result['failed']) {
			$this->log->write(sprintf('Lojal: retried deliveries, %d sent, %d failed, %d waiting', $result['sent'], $result['failed'], $result['waiting']));
		}
	}
}
