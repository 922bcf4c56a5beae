<?php
namespace Opencart\Admin\Controller\Extension\Lojal\Other;

require_once DIR_EXTENSION . 'lojal/system/library/lojal/autoload.php';

use Lojal\OpenCart\Json;
use Lojal\OpenCart\MysqlStore;
use Lojal\OpenCart\RewardImport;
use Lojal\OpenCart\Settings;
use Lojal\OpenCart\Signer;
use Lojal\OpenCart\StatusMap;

/** Extensions > Other > Lojal: settings, status mapping, test connection, delivery panel; install and uninstall. */
class Lojal extends \Opencart\System\Engine\Controller {
	private const ROUTE = 'extension/lojal/other/lojal';
	private const STATUS_KEYS = ['paid', 'completed', 'cancelled', 'refunded'];
	/** The admin customer page's loyalty panel (its AJAX route needs its own "access" permission). */
	private const PANEL_ROUTE = 'extension/lojal/customer/points';

	/** Events this extension registers: code => [trigger, action]. Both spellings of the order trigger (4.1 and 4.0.2.x). */
	private const EVENTS = [
		'lojal_order' => ['catalog/model/checkout/order.addHistory/after', 'extension/lojal/event/lojal.order'],
		'lojal_order_402' => ['catalog/model/checkout/order/addHistory/after', 'extension/lojal/event/lojal.order'],
		'lojal_customer_add' => ['catalog/model/account/customer.addCustomer/after', 'extension/lojal/event/lojal.addCustomer'],
		'lojal_customer_add_402' => ['catalog/model/account/customer/addCustomer/after', 'extension/lojal/event/lojal.addCustomer'],
		'lojal_customer_edit' => ['catalog/model/account/customer.editCustomer/after', 'extension/lojal/event/lojal.editCustomer'],
		'lojal_customer_edit_402' => ['catalog/model/account/customer/editCustomer/after', 'extension/lojal/event/lojal.editCustomer'],
		'lojal_return' => ['admin/model/sale/returns.addHistory/after', 'extension/lojal/event/lojal.returnHistory'],
		'lojal_return_402' => ['admin/model/sale/returns/addHistory/after', 'extension/lojal/event/lojal.returnHistory'],
		// "Earn N points": view triggers are spelt the same in 4.0.2.x and 4.1.
		'lojal_earn_thumb' => ['catalog/view/product/thumb/after', 'extension/lojal/event/earn.thumb'],
		'lojal_earn_product' => ['catalog/view/product/product/after', 'extension/lojal/event/earn.product'],
		'lojal_earn_category' => ['catalog/view/product/category/after', 'extension/lojal/event/earn.page'],
		'lojal_earn_search' => ['catalog/view/product/search/after', 'extension/lojal/event/earn.page'],
		'lojal_earn_special' => ['catalog/view/product/special/after', 'extension/lojal/event/earn.page'],
		'lojal_earn_manufacturer' => ['catalog/view/product/manufacturer_info/after', 'extension/lojal/event/earn.page'],
		'lojal_earn_home' => ['catalog/view/common/home/after', 'extension/lojal/event/earn.page'],
		'lojal_earn_cart' => ['catalog/view/checkout/cart_list/after', 'extension/lojal/event/earn.cart'],
		'lojal_earn_confirm' => ['catalog/view/checkout/confirm/after', 'extension/lojal/event/earn.cart'],
		// The customer's "Loyalty points" page, linked from the account page.
		'lojal_account_link' => ['catalog/view/account/account/after', 'extension/lojal/account/points.link'],
		// The points an order earns, on the order success page and the customer's order page.
		'lojal_success_keep' => ['catalog/controller/checkout/success/before', 'extension/lojal/event/order_points.keepOrder'],
		'lojal_success' => ['catalog/view/common/success/after', 'extension/lojal/event/order_points.success'],
		'lojal_order_info' => ['catalog/view/account/order_info/after', 'extension/lojal/event/order_points.info'],
		// The admin customer page's loyalty panel, and customers the shop owner adds or edits (both spellings).
		'lojal_admin_customer_form' => ['admin/view/customer/customer_form/after', 'extension/lojal/event/lojal.customerForm'],
		'lojal_admin_customer_add' => ['admin/model/customer/customer.addCustomer/after', 'extension/lojal/event/lojal.addCustomer'],
		'lojal_admin_customer_add_402' => ['admin/model/customer/customer/addCustomer/after', 'extension/lojal/event/lojal.addCustomer'],
		'lojal_admin_customer_edit' => ['admin/model/customer/customer.editCustomer/after', 'extension/lojal/event/lojal.editCustomer'],
		'lojal_admin_customer_edit_402' => ['admin/model/customer/customer/editCustomer/after', 'extension/lojal/event/lojal.editCustomer'],
	];

	private function token(): string {
		return 'user_token=' . $this->session->data['user_token'];
	}

	public function index(): void {
		$this->load->language(self::ROUTE);
		$this->document->setTitle($this->language->get('heading_title'));
		$data['breadcrumbs'] = [
			['text' => $this->language->get('text_home'), 'href' => $this->url->link('common/dashboard', $this->token())],
			['text' => $this->language->get('text_extension'), 'href' => $this->url->link('marketplace/extension', $this->token() . '&type=other')],
			['text' => $this->language->get('heading_title'), 'href' => $this->url->link(self::ROUTE, $this->token())],
		];
		$data['save'] = $this->url->link(self::ROUTE . '.save', $this->token());
		// Called from JavaScript: link() escapes "&" for HTML, which a script must not get.
		$data['test_js'] = html_entity_decode($this->url->link(self::ROUTE . '.test', $this->token()), ENT_QUOTES, 'UTF-8');
		$data['import_js'] = html_entity_decode($this->url->link(self::ROUTE . '.importRewards', $this->token()), ENT_QUOTES, 'UTF-8');
		$data['back'] = $this->url->link('marketplace/extension', $this->token() . '&type=other');
		foreach (['status', 'url', 'api_key', 'webhook_secret'] as $key) $data['other_lojal_' . $key] = $this->config->get('other_lojal_' . $key);
		$data['other_lojal_return_status'] = (int)($this->config->get('other_lojal_return_status') ?: 3);
		$defaults = StatusMap::defaults((array)$this->config->get('config_processing_status'), (array)$this->config->get('config_complete_status'), (int)$this->config->get('config_order_status_id'));
		foreach (self::STATUS_KEYS as $key) {
			$saved = $this->config->get('other_lojal_status_' . $key);
			$data['status_' . $key] = array_map('intval', is_array($saved) ? $saved : $defaults[$key]);
		}
		$data['status_keys'] = self::STATUS_KEYS;
		$this->load->model('localisation/order_status');
		$data['order_statuses'] = $this->model_localisation_order_status->getOrderStatuses();
		$this->load->model('localisation/return_status');
		$data['return_statuses'] = $this->model_localisation_return_status->getReturnStatuses();
		$data['delivery'] = (new MysqlStore($this->db, DB_PREFIX))->stats();
		$data['header'] = $this->load->controller('common/header');
		$data['column_left'] = $this->load->controller('common/column_left');
		$data['footer'] = $this->load->controller('common/footer');
		$this->response->setOutput($this->load->view(self::ROUTE, $data));
	}

	public function save(): void {
		$this->load->language(self::ROUTE);
		$json = [];
		if (!$this->user->hasPermission('modify', self::ROUTE)) $json['error']['warning'] = $this->language->get('error_permission');
		$url = trim((string)($this->request->post['other_lojal_url'] ?? ''));
		if ($url !== '' && !preg_match('#^https?://#i', $url)) $json['error']['url'] = $this->language->get('error_url');
		if (!$json) {
			$post = $this->request->post;
			foreach (self::STATUS_KEYS as $key) $post['other_lojal_status_' . $key] = array_map('intval', (array)($post['other_lojal_status_' . $key] ?? []));
			$this->load->model('setting/setting');
			$this->model_setting_setting->editSetting('other_lojal', $post);
			$json['success'] = $this->language->get('text_success');
		}
		$this->response->addHeader('Content-Type: application/json');
		$this->response->setOutput(json_encode($json));
	}

	/**
	 * Test connection, with the values in the form (saved or not): the key through GET /v1/program, the webhook
	 * secret through a signed event of a type the service refuses after checking the signature (nothing is stored).
	 */
	public function test(): void {
		$this->load->language(self::ROUTE);
		$post = $this->request->post;
		$settings = new Settings(fn(string $key) => $post[$key] ?? $this->config->get($key));
		$client = $settings->client(3000);
		$json = [];
		if ($client === null) {
			$json['error'] = $this->language->get('error_not_configured');
		} else {
			$program = $client->json('GET', '/v1/program');
			if ($program['error'] !== '') {
				$json['error'] = sprintf($this->language->get('error_test'), $program['error']);
			} else {
				$body = Json::encode(['id' => 'opencart:connection-test:' . time(), 'type' => 'connection.test', 'occurredAt' => gmdate('Y-m-d\TH:i:s\Z'), 'data' => new \stdClass()]);
				$signed = $client->request('POST', '/v1/events', $body, ['Lojal-Signature' => Signer::header(trim((string)$settings->value('webhook_secret')), $body, time())]);
				$problem = json_decode($signed['body'], true);
				if ($signed['status'] === 401) {
					$json['error'] = sprintf($this->language->get('error_secret'), $problem['code'] ?? 'signature_invalid');
				} else {
					$p = $program['json'];
					$awardOn = in_array($p['awardOn'] ?? '', ['paid', 'completed'], true) ? $this->language->get('text_award_on_' . $p['awardOn']) : (string)($p['awardOn'] ?? '?');
					$json['success'] = sprintf($this->language->get('text_test_ok'), $p['currency'] ?? '?', $p['pointsPerUnit'] ?? '?', $awardOn);
				}
			}
		}
		$this->response->addHeader('Content-Type: application/json');
		$this->response->setOutput(json_encode($json));
	}

	/**
	 * One batch of "Import existing reward points" (`offset` in the query): customer_reward balances sent to
	 * POST /v1/imports (its lines: RewardImport; tests/contract/import.php runs them against the service).
	 */
	public function importRewards(): void {
		$this->load->language(self::ROUTE);
		$json = [];
		$client = (new Settings(fn(string $key) => $this->config->get($key)))->client(10000);
		if (!$this->user->hasPermission('modify', self::ROUTE)) $json['error'] = $this->language->get('error_permission');
		elseif ($client === null) $json['error'] = $this->language->get('error_not_configured');
		if (!$json) {
			$offset = max(0, (int)($this->request->get['offset'] ?? 0));
			$from = ' FROM `' . DB_PREFIX . 'customer_reward` `r` JOIN `' . DB_PREFIX . 'customer` `c` ON `c`.`customer_id` = `r`.`customer_id`';
			$total = (int)$this->db->query('SELECT COUNT(*) AS n FROM (SELECT `r`.`customer_id`' . $from . ' GROUP BY `r`.`customer_id` HAVING SUM(`r`.`points`) > 0) `t`')->row['n'];
			$rows = $this->db->query('SELECT `r`.`customer_id`, `c`.`email`, SUM(`r`.`points`) AS `points`' . $from
				. ' GROUP BY `r`.`customer_id`, `c`.`email` HAVING SUM(`r`.`points`) > 0 ORDER BY `r`.`customer_id` LIMIT ' . $offset . ', ' . RewardImport::BATCH)->rows;
			$json = RewardImport::progress($offset, RewardImport::BATCH, $total);
			$body = RewardImport::ndjson($rows);
			if ($body !== '') {
				$r = $client->request('POST', '/v1/imports', $body, ['Content-Type' => 'application/x-ndjson']);
				$answer = json_decode($r['body'], true);
				if ($r['status'] < 200 || $r['status'] >= 300) {
					$json = ['error' => sprintf($this->language->get('error_import'), $r['error'] ?: 'HTTP ' . $r['status'] . ' ' . ($answer['detail'] ?? ''))];
				} else {
					$json += ['applied' => (int)($answer['applied'] ?? 0), 'duplicates' => (int)($answer['duplicates'] ?? 0), 'errors' => $answer['errors'] ?? []];
				}
			}
		}
		$this->response->addHeader('Content-Type: application/json');
		$this->response->setOutput(json_encode($json));
	}

	public function install(): void {
		if (!$this->user->hasPermission('modify', 'extension/other')) return;
		$this->db->query(MysqlStore::createTableSql(DB_PREFIX));
		$this->load->model('setting/event');
		foreach (self::EVENTS as $code => [$trigger, $action]) {
			$this->model_setting_event->deleteEventByCode($code);
			$this->model_setting_event->addEvent(['code' => $code, 'description' => 'Lojal loyalty points', 'trigger' => $trigger, 'action' => $action, 'status' => 1, 'sort_order' => 0]);
		}
		$this->panelPermission(true);
		$this->load->model('setting/cron');
		$this->model_setting_cron->deleteCronByCode('lojal');
		$this->model_setting_cron->addCron('lojal', 'Lojal: retry event deliveries', 'hour', 'extension/lojal/cron/lojal', true);
		$defaults = StatusMap::defaults((array)$this->config->get('config_processing_status'), (array)$this->config->get('config_complete_status'), (int)$this->config->get('config_order_status_id'));
		$settings = ['other_lojal_status' => 0, 'other_lojal_return_status' => 3];
		foreach (self::STATUS_KEYS as $key) $settings['other_lojal_status_' . $key] = $defaults[$key];
		$this->load->model('setting/setting');
		$this->model_setting_setting->editSetting('other_lojal', $settings);
	}

	/** Removes the events, the cron job and the settings; keeps the retry table while events still wait in it. */
	public function uninstall(): void {
		if (!$this->user->hasPermission('modify', 'extension/other')) return;
		$this->load->model('setting/event');
		foreach (array_keys(self::EVENTS) as $code) $this->model_setting_event->deleteEventByCode($code);
		$this->panelPermission(false);
		$this->load->model('setting/cron');
		$this->model_setting_cron->deleteCronByCode('lojal');
		$this->load->model('setting/setting');
		$this->model_setting_setting->deleteSetting('other_lojal');
		if ((new MysqlStore($this->db, DB_PREFIX))->waiting() === 0) $this->db->query('DROP TABLE IF EXISTS `' . DB_PREFIX . 'lojal_delivery`');
	}

	/**
	 * Grants (or takes back) access to the panel's route to every user group that can open customers, so whoever
	 * sees a customer sees their points; a group made later gets it in System > Users > User Groups.
	 */
	private function panelPermission(bool $grant): void {
		$this->load->model('user/user_group');
		foreach ($this->model_user_user_group->getUserGroups() as $group) {
			$access = (array)((json_decode((string)$group['permission'], true) ?: [])['access'] ?? []);
			$has = in_array(self::PANEL_ROUTE, $access, true);
			$wants = $grant && in_array('customer/customer', $access, true);
			if ($has && !$wants) $this->model_user_user_group->removePermission((int)$group['user_group_id'], 'access', self::PANEL_ROUTE);
			if ($wants && !$has) $this->model_user_user_group->addPermission((int)$group['user_group_id'], 'access', self::PANEL_ROUTE);
		}
	}
}
