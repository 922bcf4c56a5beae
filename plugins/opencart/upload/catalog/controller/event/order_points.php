<?php
namespace Opencart\Catalog\Controller\Extension\Lojal\Event;

require_once DIR_EXTENSION . 'lojal/system/library/lojal/autoload.php';

use Lojal\OpenCart\EarnQuote;
use Lojal\OpenCart\OrderPoints as Points;
use Lojal\OpenCart\OrderReader;
use Lojal\OpenCart\Plural;
use Lojal\OpenCart\Settings;

/**
 * The points an order earns, on the order success page and on the customer's order page (Account > Order history >
 * an order): pending with the date they can be spent, available, cancelled, or the estimate while the order is not
 * awarded yet; with the points taken back for returns and spent on the order. Never throws into a page.
 */
class OrderPoints extends \Opencart\System\Engine\Controller {
	private const SUCCESS_KEY = 'lojal_success_order';

	/** Before checkout/success, which forgets the order id: keep it for the page's view event. */
	public function keepOrder(string &$route, array &$args): void {
		if (isset($this->session->data['order_id'])) $this->session->data[self::SUCCESS_KEY] = (int)$this->session->data['order_id'];
	}

	/** View event on common/success: only the checkout's success page, once per placed order. */
	public function success(string &$route, array &$data, mixed &$output): void {
		$orderId = (int)($this->session->data[self::SUCCESS_KEY] ?? 0);
		if ($orderId <= 0 || !is_string($output) || ($this->request->get['route'] ?? '') !== 'checkout/success') return;
		unset($this->session->data[self::SUCCESS_KEY]);
		$block = $this->block($orderId);
		$at = strpos($output, '<div class="text-end">');
		if ($block !== '') $output = $at === false ? $output . $block : substr_replace($output, $block, $at, 0);
	}

	/** View event on account/order_info (OpenCart shows it only for the customer's own order): above the history. */
	public function info(string &$route, array &$data, mixed &$output): void {
		if (!is_string($output) || empty($data['order_id'])) return;
		$history = strpos($output, '<div id="history"');
		if ($history === false) return;
		$h2 = strrpos(substr($output, 0, $history), '<h2');
		$block = $this->block((int)$data['order_id']);
		if ($block !== '') $output = substr_replace($output, $block, $h2 === false ? $history : $h2, 0);
	}

	private function block(int $orderId): string {
		$settings = new Settings(fn(string $key) => $this->config->get($key));
		if (!$settings->enabled() || !$settings->configured()) return '';
		try {
			$points = (new Points($settings->client(Points::TIMEOUT_MS)))->forOrder((string)$orderId, fn(int $ms): ?int => $this->estimate($settings, $orderId, $ms));
			if ($points === null) return '';
			$this->load->language('extension/lojal/event/order_points');
			$language = (string)$this->config->get('config_language');
			$thousands = (string)$this->language->get('thousand_point');
			$say = fn(string $key, int $n, string ...$args): string => Plural::format((string)$this->language->get($key), $n, $language, $thousands, ...$args);
			$date = fn(string $iso): string => date((string)$this->language->get('date_format_short'), (int)strtotime($iso));
			$lines = array_map(static fn(string $s): string => htmlspecialchars($s, ENT_QUOTES, 'UTF-8'), Points::sentences($points, $say, $date));
			return '<div class="lojal-order-points alert alert-success"><i class="fa-solid fa-star"></i> ' . implode('<br>', $lines) . '</div>';
		} catch (\Throwable $e) {
			$this->log->write('Lojal: order ' . $orderId . ': ' . $e->getMessage());
			return '';
		}
	}

	/** What the order earns by the program's rules today, from its lines and totals (it has no award yet). */
	private function estimate(Settings $settings, int $orderId, int $ms): ?int {
		$this->load->model('checkout/order');
		$row = $this->model_checkout_order->getOrder($orderId);
		if (!$row) return null;
		$reader = new OrderReader($this->db, DB_PREFIX, (string)$this->config->get('config_currency'), date_default_timezone_get());
		$totals = $this->model_checkout_order->getTotals($orderId);
		$order = $reader->order($row, $this->model_checkout_order->getProducts($orderId), $totals, 'pending');
		$customerId = (int)$row['customer_id'] > 0 ? (string)$row['customer_id'] : null;
		$quote = new EarnQuote($settings->client($ms), static fn(): mixed => null, static function (): void {});
		return $quote->forCart($order['lines'], $customerId, $reader->builder()->amounts($totals), $ms);
	}
}
