<?php
namespace Opencart\Catalog\Controller\Extension\Lojal\Account;

require_once DIR_EXTENSION . 'lojal/system/library/lojal/autoload.php';

use Lojal\OpenCart\ActivityWords;
use Lojal\OpenCart\PageInsert;
use Lojal\OpenCart\Plural;
use Lojal\OpenCart\Settings;

/**
 * The customer's "Loyalty points" page (route extension/lojal/account/points), linked from the account page:
 * balance, pending, tier and what the next tier needs, points expiring soon, recent activity in words.
 */
class Points extends \Opencart\System\Engine\Controller {
	private const ROUTE = 'extension/lojal/account/points';

	public function index(): void {
		$settings = new Settings(fn(string $key) => $this->config->get($key));
		$language = (string)$this->config->get('config_language');
		if (!$settings->enabled()) {
			$this->response->redirect($this->url->link('account/account', 'language=' . $language));
			return;
		}
		if (!$this->customer->isLogged() || !isset($this->session->data['customer_token'])) {
			$this->session->data['redirect'] = $this->url->link(self::ROUTE, 'language=' . $language);
			$this->response->redirect($this->url->link('account/login', 'language=' . $language));
			return;
		}
		$this->load->language(self::ROUTE);
		$this->document->setTitle($this->language->get('heading_title'));
		$token = 'language=' . $language . '&customer_token=' . $this->session->data['customer_token'];
		$data['breadcrumbs'] = [
			['text' => $this->language->get('text_home'), 'href' => $this->url->link('common/home', 'language=' . $language)],
			['text' => $this->language->get('text_account'), 'href' => $this->url->link('account/account', $token)],
			['text' => $this->language->get('heading_title'), 'href' => $this->url->link(self::ROUTE, $token)],
		];
		$data += $this->memberData($settings, (string)$this->customer->getId());
		$data['back'] = $this->url->link('account/account', $token);
		foreach (['column_left', 'column_right', 'content_top', 'content_bottom', 'footer', 'header'] as $part) $data[$part] = $this->load->controller('common/' . $part);
		$this->response->setOutput($this->load->view(self::ROUTE, $data));
	}

	/** The account page's link (view event on account/account). */
	public function link(string &$route, array &$data, mixed &$output): void {
		$settings = new Settings(fn(string $key) => $this->config->get($key));
		if (!$settings->enabled() || !is_string($output) || !isset($this->session->data['customer_token'])) return;
		$this->load->language(self::ROUTE);
		$href = $this->url->link(self::ROUTE, 'language=' . $this->config->get('config_language') . '&customer_token=' . $this->session->data['customer_token']);
		$item = '<li><a href="' . $href . '">' . htmlspecialchars($this->language->get('text_link'), ENT_QUOTES, 'UTF-8') . '</a></li>';
		$output = PageInsert::afterListItem($output, (string)($data['order'] ?? ''), $item);
	}

	private function memberData(Settings $settings, string $customerId): array {
		$data = ['member' => null, 'held' => '', 'activity' => [], 'expiring' => [], 'error' => ''];
		$client = $settings->client(1500);
		if ($client === null) return ['error' => $this->language->get('error_unavailable')] + $data;
		$member = $client->json('GET', '/v1/members/' . rawurlencode($customerId));
		if ($member['status'] === 404) return ['error' => $this->language->get('text_no_points')] + $data;
		if ($member['error'] !== '' || !is_array($member['json'])) return ['error' => $this->language->get('error_unavailable')] + $data;
		$m = $member['json'];
		$data['member'] = ['available' => (int)$m['balance']['available'], 'pending' => (int)$m['balance']['pending'], 'held' => (int)$m['balance']['held']];
		$say = fn(string $key, int $n, string ...$args): string => Plural::format((string)$this->language->get($key), $n, (string)$this->config->get('config_language'), (string)$this->language->get('thousand_point'), ...$args);
		$data['held'] = $data['member']['held'] > 0 ? $say('text_held', $data['member']['held']) : '';
		$tier = $m['tier'] ?? null;
		$data['tier'] = is_array($tier) ? (string)$tier['name'] : '';
		$next = is_array($tier) ? ($tier['next'] ?? null) : null;
		$data['next'] = is_array($next) ? $say('text_next_tier', (int)$next['remaining'], (string)$next['name']) : '';
		foreach ((array)($m['expiring'] ?? []) as $e) {
			$data['expiring'][] = $say('text_expiring', (int)$e['points'], date($this->language->get('date_format_short'), strtotime((string)$e['at'])));
		}
		$activity = $client->json('GET', '/v1/members/' . rawurlencode($customerId) . '/activity?limit=20');
		$text = fn(string $key): string => (string)$this->language->get($key);
		foreach ((array)($activity['json']['data'] ?? []) as $entry) {
			$data['activity'][] = ['date' => date($this->language->get('date_format_short'), strtotime((string)$entry['createdAt'])),
				'text' => ActivityWords::phrase($entry, $text), 'points' => ActivityWords::points($entry)];
		}
		return $data;
	}
}
