<?php
declare(strict_types=1);

use Automattic\WooCommerce\StoreApi\Exceptions\RouteException;
use Lojal\WooCommerce\Settings;
use Lojal\WooCommerce\Spend\BlocksIntegration;
use Lojal\WooCommerce\Spend\BlocksSpend;
use Lojal\WooCommerce\Spend\ClassicBox;
use Lojal\WooCommerce\Spend\HoldKeeper;
use Lojal\WooCommerce\Spend\Spending;
use Lojal\WooCommerce\Spend\SpendPoints;
use PHPUnit\Framework\TestCase;

/** What the shopper sees and does: the state both checkouts show, the classic box and its AJAX, the blocks' Store API. */
final class SpendUiTest extends TestCase {
	protected function setUp(): void {
		WpStub::reset();
		WpStub::$options = [Settings::ENABLED => 'yes', Settings::URL => 'http://lojal.test', Settings::API_KEY => 'lj_sk_x', Settings::SECRET => 'lj_whsec_x'];
		SpendStub::reset(7, new WC_Cart([[11, 0, 2, '12.50']], '25.00', '5.00'));
		(new SpendPoints(lojal_services()))->register();
	}

	private static function answer(int $status, array $body): array {
		return ['response' => ['code' => $status], 'body' => json_encode($body)];
	}

	private static function quote(int $max = 800): array {
		return self::answer(200, ['available' => 1200, 'maxPoints' => $max, 'minPoints' => 0, 'pointValue' => 1, 'maxAmount' => $max]);
	}

	private static function held(): array {
		return self::answer(201, ['id' => 'red_01', 'status' => 'held', 'points' => 500, 'amount' => 500, 'expiresAt' => gmdate('Y-m-d\TH:i:s\Z', time() + 1800)]);
	}

	private function spending(): Spending {
		return new Spending(lojal_services());
	}

	public function testASignedInCustomerIsOfferedTheQuoteForWhatTheCartHasToPay(): void {
		WpStub::$http = [self::quote()];
		$view = $this->spending()->view();
		$this->assertSame(['state' => 'use', 'heading' => 'Use your loyalty points', 'have' => 'You have 1,200 points.',
			'upTo' => 'Up to 800 points, worth $8.00, on this order.', 'min' => 1, 'max' => 800], $view);
		$this->assertSame(['customerId' => '7', 'orderTotal' => ['amount' => 3000, 'currency' => 'USD']], json_decode(WpStub::$requests[0]['args']['body'], true));
		$this->assertSame(0.3, WpStub::$requests[0]['args']['timeout']);
	}

	public function testNothingIsShownToAGuestWithoutPointsToUseOrWhenTheServiceIsSlow(): void {
		SpendStub::$userId = 0;
		$this->assertSame(['state' => 'none'], $this->spending()->view());
		$this->assertSame([], WpStub::$requests, 'a guest asks nothing');
		SpendStub::$userId = 7;
		WpStub::$http = [self::quote(0)];
		$this->assertSame(['state' => 'none'], $this->spending()->view());
		WpStub::$http = [new WP_Error('http_request_failed', 'Operation timed out after 300 milliseconds')];
		WC()->session->set(HoldKeeper::QUOTE, null);
		$this->assertSame(['state' => 'none'], $this->spending()->view());
		$this->assertSame('', ClassicBox::html(['state' => 'none'], 'cart'));
	}

	public function testUsePointsHoldsThemAndTheBoxThenSaysWhatTheyTakeOff(): void {
		WpStub::$http = [self::quote(), self::held()];
		$this->assertSame(['ok' => true, 'message' => 'Your loyalty points are applied.'], $this->spending()->apply(500));
		$this->assertSame(1, WC()->cart->calculated, 'the totals worked out before asking');
		$this->assertSame(['state' => 'using', 'points' => 500, 'using' => 'Using 500 loyalty points ($5.00 off).'], $this->spending()->view());
		WpStub::$http = [self::answer(200, ['status' => 'released'])];
		$this->assertSame(['ok' => true, 'message' => 'Your loyalty points are no longer used.'], $this->spending()->remove());
		$this->assertNull(WC()->session->get(HoldKeeper::HOLD));
	}

	public function testRefusalsAreSaidInWords(): void {
		WpStub::$http = [self::quote(800)];
		$this->assertSame(['ok' => false, 'message' => 'Enter a number of points from 1 to 800.'], $this->spending()->apply(900));
		WpStub::$http = [self::quote(0)];
		$this->assertSame('There are no points to use on this order.', $this->spending()->apply(5)['message']);
		WpStub::$http = [self::quote(), self::answer(409, ['code' => 'insufficient_points'])];
		$this->assertSame('You do not have that many points available.', $this->spending()->apply(500)['message']);
		WpStub::$http = [];
		$this->assertSame('Your points cannot be used right now. Please try again in a moment.', $this->spending()->apply(500)['message']);
		SpendStub::$userId = 0;
		$this->assertSame('Sign in to use your loyalty points.', $this->spending()->apply(500)['message']);
	}

	public function testTheClassicBoxOffersThePointsOrSaysWhatIsUsedEscaped(): void {
		$use = ClassicBox::html(['state' => 'use', 'heading' => 'Use <b>', 'have' => 'You have 1,200 points.', 'upTo' => 'Up to 800 points, worth $8.00, on this order.', 'min' => 1, 'max' => 800], 'checkout');
		$this->assertStringContainsString('data-context="checkout"', $use);
		$this->assertStringContainsString('Use &lt;b&gt;', $use);
		$this->assertStringContainsString('min="1" max="800" value="800"', $use);
		$this->assertStringContainsString('<button type="button" class="button lojal-spend__use">Use points</button>', $use);
		$using = ClassicBox::html(['state' => 'using', 'points' => 500, 'using' => 'Using 500 loyalty points ($5.00 off).'], 'cart');
		$this->assertStringContainsString('Using 500 loyalty points ($5.00 off).', $using);
		$this->assertStringContainsString('lojal-spend__remove', $using);
		$this->assertStringNotContainsString('<input', $using);
	}

	public function testTheClassicBoxLoadsItsScriptOnlyWhereItIsShown(): void {
		WpStub::$http = [self::quote()];
		ob_start();
		WpStub::fire('woocommerce_before_cart_totals');
		$html = (string)ob_get_clean();
		$this->assertStringContainsString('data-context="cart"', $html);
		$this->assertSame(['jquery'], SpendStub::$scripts['lojal-spend-classic']['deps']);
		$this->assertSame('lojalSpend', SpendStub::$localized['lojal-spend-classic'][0]);
		$this->assertSame('nonce-lojal_spend', SpendStub::$localized['lojal-spend-classic'][1]['nonce']);
		SpendStub::reset(0);
		ob_start();
		WpStub::fire('woocommerce_review_order_before_payment');
		$this->assertSame('', ob_get_clean());
		$this->assertSame([], SpendStub::$scripts);
	}

	public function testTheClassicAjaxUsesPointsAndAnswersTheNewBox(): void {
		WpStub::$http = [self::quote(), self::held()];
		$_POST = ['do' => 'use', 'points' => '500', 'context' => 'checkout', 'nonce' => 'nonce-lojal_spend'];
		try {
			(new ClassicBox(lojal_services(), $this->spending()))->ajax();
			$this->fail('no answer');
		} catch (JsonSent $sent) {
			$this->assertTrue($sent->success);
			$this->assertSame('Your loyalty points are applied.', $sent->data['message']);
			$this->assertStringContainsString('Using 500 loyalty points ($5.00 off).', $sent->data['html']);
		}
		SpendStub::$userId = 0;
		try {
			(new ClassicBox(lojal_services(), $this->spending()))->ajax();
		} catch (JsonSent $sent) {
			$this->assertSame([false, 403, 'Sign in to use your loyalty points.'], [$sent->success, $sent->status, $sent->data['message']]);
		}
	}

	public function testTheBlocksGetTheViewInTheCartAndChangeItThroughTheStoreApi(): void {
		SpendStub::$didActions['woocommerce_blocks_loaded'] = true;
		$blocks = new BlocksSpend(lojal_services(), $this->spending());
		$blocks->register();
		$data = SpendStub::$storeApi['data'][0];
		$this->assertSame(['cart', 'lojal_spend', 'ARRAY_A'], [$data['endpoint'], $data['namespace'], $data['schema_type']]);
		WpStub::$http = [self::quote()];
		$view = ($data['data_callback'])();
		$this->assertSame('use', $view['state']);
		$this->assertSame([], array_diff(array_keys($view), array_keys(($data['schema_callback'])())), 'every field has a schema');
		$update = SpendStub::$storeApi['update'][0];
		$this->assertSame('lojal_spend', $update['namespace']);
		WpStub::$http = [self::quote(), self::held()];
		($update['callback'])(['action' => 'use', 'points' => 500]);
		$this->assertSame('red_01', WC()->session->get(HoldKeeper::HOLD)['id']);
		WpStub::$http = [self::answer(200, ['status' => 'released']), self::quote(100)];
		try {
			($update['callback'])(['action' => 'use', 'points' => 500]);
			$this->fail('not refused');
		} catch (RouteException $e) {
			$this->assertSame(['lojal_points', 'Enter a number of points from 1 to 100.', 400], [$e->error_code, $e->getMessage(), $e->getCode()]);
		}
	}

	public function testTheBlocksScriptIsAnIntegrationOfTheCartAndCheckoutBlocks(): void {
		$hooks = array_column(WpStub::$hooks, 1);
		$this->assertContains('woocommerce_blocks_cart_block_registration', $hooks);
		$this->assertContains('woocommerce_blocks_checkout_block_registration', $hooks);
		$this->assertContains('woocommerce_blocks_loaded', $hooks);
		$integration = new BlocksIntegration(lojal_services());
		$integration->initialize();
		$this->assertSame(['wc-blocks-checkout', 'wc-blocks-data-store', 'wc-settings', 'wp-element', 'wp-plugins', 'wp-data', 'wp-i18n'], SpendStub::$scripts['lojal-spend-blocks']['deps']);
		$this->assertFalse(SpendStub::$scripts['lojal-spend-blocks']['enqueued'], 'registered, loaded by the blocks');
		$this->assertStringEndsWith('assets/spend-blocks.js', SpendStub::$scripts['lojal-spend-blocks']['src']);
		$this->assertSame(['lojal-spend-blocks'], $integration->get_script_handles());
		$this->assertSame(['heading', 'points', 'use', 'remove', 'failed', 'applied', 'removed'], array_keys($integration->get_script_data()['labels']));
		$this->assertFileExists(__DIR__ . '/../lojal/assets/spend-blocks.js');
		$this->assertFileExists(__DIR__ . '/../lojal/assets/spend-classic.js');
	}
}
