<?php
namespace Opencart\Catalog\Controller\Extension\Lojal\Cron;

require_once DIR_EXTENSION . 'lojal/system/library/lojal/autoload.php';

use Lojal\OpenCart\Settings;

/** OpenCart's cron (Extensions > Cron Jobs, code `lojal`): retries the deliveries that are due. */
class Lojal extends \Opencart\System\Engine\Controller {
	public function index(int $cron_id = 0, string $code = '', string $cycle = '', string $date_added = '', string $date_modified = ''): void {
		$settings = new Settings(fn(string $key) => $this->config->get($key));
		if (!$settings->enabled()) return;
		$result = $settings->outbox($this->db, DB_PREFIX)->retryDue(200);
		if ($result['sent'] || $result['failed']) {
			$this->log->write(sprintf('Lojal: retried deliveries, %d sent, %d failed, %d waiting', $result['sent'], $result['failed'], $result['waiting']));
		}
	}
}
