<?php
namespace Opencart\Admin\Controller\Extension\Lojal\Total;

require_once DIR_EXTENSION . 'lojal/system/library/lojal/autoload.php';

use Lojal\OpenCart\MysqlRedemptions;

/**
 * Extensions > Order Total > Loyalty points: status and sort order, as OpenCart's own totals. The points and their
 * worth come from the service (settings on Extensions > Other > Lojal).
 */
class Lojal extends \Opencart\System\Engine\Controller {
	private const ROUTE = 'extension/lojal/total/lojal';

	public function index(): void {
		$this->load->language(self::ROUTE);
		$this->document->setTitle($this->language->get('heading_title'));
		$token = 'user_token=' . $this->session->data['user_token'];
		$data['breadcrumbs'] = [
			['text' => $this->language->get('text_home'), 'href' => $this->url->link('common/dashboard', $token)],
			['text' => $this->language->get('text_extension'), 'href' => $this->url->link('marketplace/extension', $token . '&type=total')],
			['text' => $this->language->get('heading_title'), 'href' => $this->url->link(self::ROUTE, $token)],
		];
		$data['save'] = $this->url->link(self::ROUTE . '.save', $token);
		$data['back'] = $this->url->link('marketplace/extension', $token . '&type=total');
		$data['total_lojal_status'] = $this->config->get('total_lojal_status');
		$data['total_lojal_sort_order'] = $this->config->get('total_lojal_sort_order');
		$data['header'] = $this->load->controller('common/header');
		$data['column_left'] = $this->load->controller('common/column_left');
		$data['footer'] = $this->load->controller('common/footer');
		$this->response->setOutput($this->load->view(self::ROUTE, $data));
	}

	public function save(): void {
		$this->load->language(self::ROUTE);
		$json = [];
		if (!$this->user->hasPermission('modify', self::ROUTE)) $json['error'] = $this->language->get('error_permission');
		if (!$json) {
			$this->load->model('setting/setting');
			$this->model_setting_setting->editSetting('total_lojal', $this->request->post);
			$json['success'] = $this->language->get('text_success');
		}
		$this->response->addHeader('Content-Type: application/json');
		$this->response->setOutput(json_encode($json));
	}

	/** The table of which hold each order spent; sort order 7: after taxes, before OpenCart's "Total" (9). */
	public function install(): void {
		$this->db->query(MysqlRedemptions::createTableSql(DB_PREFIX));
		$this->load->model('setting/setting');
		$this->model_setting_setting->editSetting('total_lojal', ['total_lojal_status' => 0, 'total_lojal_sort_order' => 7]);
	}

	/** Keeps the table: it names the holds orders already placed have spent. */
	public function uninstall(): void {
		$this->load->model('setting/setting');
		$this->model_setting_setting->deleteSetting('total_lojal');
	}
}
