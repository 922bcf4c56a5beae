<?php
namespace Opencart\Catalog\Model\Extension\Lojal\Total;

require_once DIR_EXTENSION . 'lojal/system/library/lojal/autoload.php';

use Lojal\OpenCart\CartHold;
use Lojal\OpenCart\Redemptions;
use Lojal\OpenCart\Settings;

/**
 * The order total line "Loyalty points (N)": the hold kept in the session, as a discount never above the order's
 * total so far. A hold made for another cart (anything changed), another customer, or past its expiry is released.
 */
class Lojal extends \Opencart\System\Engine\Model {
	public function getTotal(array &$totals, array &$taxes, float &$total): void {
		$hold = $this->session->data['lojal_hold'] ?? null;
		if (!$hold) return;
		$customerId = $this->customer->isLogged() ? (int)$this->customer->getId() : 0;
		$currency = (string)$this->config->get('config_currency');
		$fingerprint = CartHold::fingerprint($this->cart->getProducts(), $customerId, $currency);
		if (!$this->config->get('total_lojal_status') || !CartHold::applies($hold, $customerId, $fingerprint, time())) {
			$this->release();
			return;
		}
		$this->load->language('extension/lojal/total/lojal', 'lojal');
		$discount = CartHold::discount((int)$hold['amount'], $total, $this->currency->getDecimalPlace($currency));
		$totals[] = [
			'extension' => 'lojal',
			'code' => 'lojal',
			'title' => sprintf($this->language->get('lojal_text_title'), (int)$hold['points']),
			'value' => -$discount,
			'sort_order' => (int)$this->config->get('total_lojal_sort_order'),
		];
		$total -= $discount;
	}

	/** Gives the session's hold back to the service (a short call; a hold not released expires by itself). */
	public function release(): void {
		$hold = $this->session->data['lojal_hold'] ?? null;
		unset($this->session->data['lojal_hold']);
		if (!$hold) return;
		$client = (new Settings(fn(string $key) => $this->config->get($key)))->client(1000);
		if ($client === null) return;
		$r = (new Redemptions($client))->cancel((string)$hold['id']);
		if ($r['error'] !== '') $this->log->write('Lojal: releasing hold ' . $hold['id'] . ': ' . $r['error']);
	}
}
