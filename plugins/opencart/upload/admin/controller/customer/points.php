<?php
namespace Opencart\Admin\Controller\Extension\Lojal\Customer;

require_once DIR_EXTENSION . 'lojal/system/library/lojal/autoload.php';

use Lojal\OpenCart\Adjustment;
use Lojal\OpenCart\MemberPanel;
use Lojal\OpenCart\Settings;

/**
 * The loyalty panel of Customers > Customers > Edit (route extension/lojal/customer/points), loaded by AJAX into the
 * block the view event puts in the page, so the customer page never waits on the service: balance, tier, expiring
 * points, the last 20 activity entries, and the adjustment form (`.adjust`). Viewing needs access to
 * customer/customer, adjusting needs modify.
 */
class Points extends \Opencart\System\Engine\Controller {
	private const ROUTE = 'extension/lojal/customer/points';
	private const TIMEOUT_MS = 1500;

	public function index(): void {
		$this->load->language(self::ROUTE);
		$customerId = (int)($this->request->get['customer_id'] ?? 0);
		$data = ['state' => 'message', 'message' => '', 'message_class' => 'alert-warning'];
		if (!$this->user->hasPermission('access', 'customer/customer')) {
			$data['message'] = $this->language->get('error_permission');
		} elseif (!$this->customerExists($customerId)) {
			$data['message'] = $this->language->get('error_customer');
		} else {
			$data = $this->panel($customerId);
		}
		$data['reload'] = $this->url->link(self::ROUTE, 'user_token=' . $this->session->data['user_token'] . '&customer_id=' . $customerId);
		$this->response->setOutput($this->load->view(self::ROUTE, $data));
	}

	/** The adjustment form's POST: checked here, then sent once under the form's Idempotency-Key. Answers JSON. */
	public function adjust(): void {
		$this->load->language(self::ROUTE);
		$customerId = (int)($this->request->get['customer_id'] ?? 0);
		$client = $this->client();
		$json = [];
		if (!$this->user->hasPermission('modify', 'customer/customer')) $json['error']['warning'] = $this->language->get('error_modify');
		elseif (!$this->customerExists($customerId)) $json['error']['warning'] = $this->language->get('error_customer');
		elseif ($client === null) $json['error']['warning'] = $this->language->get('text_not_configured');
		if (!$json) {
			$checked = Adjustment::validate($this->request->post);
			foreach ($checked['errors'] as $field => $key) $json['error'][$field] = $this->language->get($key);
		}
		if (!$json) {
			$request = $checked['request'];
			$answer = Adjustment::send($client, (string)$customerId, $request, $this->user->getUserName());
			$text = $this->language->get($answer['message']);
			if ($answer['ok']) {
				$json['success'] = sprintf($text, ($request['points'] > 0 ? '+' : '−') . abs($request['points']));
			} else {
				$json['error']['warning'] = str_contains($text, '%s') ? sprintf($text, $answer['detail']) : $text;
				if ($answer['newKey']) $json['key'] = Adjustment::newKey();
			}
			$json['reload'] = $answer['reload'];
		}
		$this->response->addHeader('Content-Type: application/json');
		$this->response->setOutput(json_encode($json));
	}

	private function client(): ?\Lojal\OpenCart\HttpClient {
		$settings = new Settings(fn(string $key) => $this->config->get($key));
		return $settings->enabled() ? $settings->client(self::TIMEOUT_MS) : null;
	}

	private function customerExists(int $customerId): bool {
		if ($customerId <= 0) return false;
		$this->load->model('customer/customer');
		return (bool)$this->model_customer_customer->getCustomer($customerId);
	}

	private function panel(int $customerId): array {
		$client = $this->client();
		if ($client === null) return ['state' => 'message', 'message' => $this->language->get('text_not_configured'), 'message_class' => 'alert-info'];
		$path = '/v1/members/' . rawurlencode((string)$customerId);
		$member = $client->json('GET', $path);
		$activity = $member['status'] === 200 ? $client->json('GET', $path . '/activity?limit=' . MemberPanel::ACTIVITY_LIMIT) : null;
		$format = (string)$this->language->get('date_format_short');
		$date = static fn(string $at): string => $at === '' ? '' : date($format, strtotime($at));
		$data = MemberPanel::build($member, $activity, fn(string $key): string => (string)$this->language->get($key), (string)$this->config->get('config_language_admin'), $date);
		if ($data['state'] !== 'member') return ['state' => 'message', 'message_class' => $data['state'] === 'unknown' ? 'alert-info' : 'alert-warning'] + $data;
		$data['can_modify'] = $this->user->hasPermission('modify', 'customer/customer');
		$data['adjust'] = $this->url->link(self::ROUTE . '.adjust', 'user_token=' . $this->session->data['user_token'] . '&customer_id=' . $customerId);
		$data['idempotency_key'] = Adjustment::newKey();
		return $data;
	}
}
