<?php
namespace Opencart\Catalog\Controller\Extension\Lojal\Checkout;

require_once DIR_EXTENSION . 'lojal/system/library/lojal/autoload.php';

use Lojal\OpenCart\CartHold;
use Lojal\OpenCart\Plural;
use Lojal\OpenCart\Redemptions;
use Lojal\OpenCart\Settings;

/**
 * "Use N points" in the cart (OpenCart shows each order total's checkout module there): the service's quote gives
 * the most this cart may take; using them makes a hold kept in the session; removing it releases the hold.
 * Guests cannot spend points.
 */
class Lojal extends \Opencart\System\Engine\Controller {
	private const ROUTE = 'extension/lojal/checkout/lojal';

	private function redemptions(): ?Redemptions {
		if (!$this->config->get('total_lojal_status') || !$this->customer->isLogged()) return null;
		$settings = new Settings(fn(string $key) => $this->config->get($key));
		$client = $settings->enabled() ? $settings->client(1000) : null;
		return $client === null ? null : new Redemptions($client);
	}

	public function index(): string {
		$redemptions = $this->redemptions();
		if ($redemptions === null) return '';
		$this->load->language(self::ROUTE);
		$currency = (string)$this->config->get('config_currency');
		$data['save'] = $this->url->link(self::ROUTE . '.save', 'language=' . $this->config->get('config_language'));
		$data['remove'] = $this->url->link(self::ROUTE . '.remove', 'language=' . $this->config->get('config_language'));
		$data['list'] = $this->url->link('checkout/cart.list', 'language=' . $this->config->get('config_language'));
		$hold = $this->session->data['lojal_hold'] ?? null;
		if ($hold) {
			$worth = $this->currency->format($hold['amount'] / (10 ** $this->currency->getDecimalPlace($currency)), $this->session->data['currency']);
			$data['using'] = Plural::format((string)$this->language->get('text_using'), (int)$hold['points'], (string)$this->config->get('config_language'), (string)$this->language->get('thousand_point'), $worth);
			return $this->load->view(self::ROUTE, $data);
		}
		$quote = $redemptions->quote((string)$this->customer->getId(), $this->cartTotal($currency), $currency);
		if ($quote['status'] !== 200 || (int)($quote['json']['maxPoints'] ?? 0) <= 0) return '';
		$q = $quote['json'];
		$worth = $this->currency->format($q['maxAmount'] / (10 ** $this->currency->getDecimalPlace($currency)), $this->session->data['currency']);
		$data['heading_title'] = sprintf($this->language->get('heading_title'), $q['available']);
		$data['entry_points'] = sprintf($this->language->get('entry_points'), $q['maxPoints'], $worth);
		$data['max_points'] = (int)$q['maxPoints'];
		return $this->load->view(self::ROUTE, $data);
	}

	/** The order's total before points, in minor units of the store's currency. */
	private function cartTotal(string $currency): int {
		$this->load->model('checkout/cart');
		$totals = [];
		$taxes = $this->cart->getTaxes();
		$total = 0.0;
		($this->model_checkout_cart->getTotals)($totals, $taxes, $total);
		return (int)round($total * (10 ** $this->currency->getDecimalPlace($currency)));
	}

	public function save(): void {
		$this->load->language(self::ROUTE);
		$json = [];
		$points = abs((int)($this->request->post['lojal_points'] ?? 0));
		$redemptions = $this->redemptions();
		if ($redemptions === null) $json['error'] = $this->language->get('error_status');
		elseif ($points <= 0) $json['error'] = $this->language->get('error_points');
		if (!$json) {
			$this->load->model('extension/lojal/total/lojal');
			$this->model_extension_lojal_total_lojal->release();
			$customerId = (int)$this->customer->getId();
			$currency = (string)$this->config->get('config_currency');
			$fingerprint = CartHold::fingerprint($this->cart->getProducts(), $customerId, $currency);
			$r = $redemptions->hold((string)$customerId, $points, $this->session->getId());
			if ($r['status'] === 201) {
				$this->session->data['lojal_hold'] = CartHold::fromAnswer($r['json'], $customerId, $fingerprint);
				$json['success'] = $this->language->get('text_success');
			} else {
				$json['error'] = sprintf($this->language->get('error_service'), (string)($r['json']['detail'] ?? $r['error']));
			}
		}
		$this->response->addHeader('Content-Type: application/json');
		$this->response->setOutput(json_encode($json));
	}

	public function remove(): void {
		$this->load->language(self::ROUTE);
		$this->load->model('extension/lojal/total/lojal');
		$this->model_extension_lojal_total_lojal->release();
		$this->response->addHeader('Content-Type: application/json');
		$this->response->setOutput(json_encode(['success' => $this->language->get('text_removed')]));
	}
}
