<?php
declare(strict_types=1);

use Lojal\OpenCart\PageInsert;
use PHPUnit\Framework\TestCase;

final class PageInsertTest extends TestCase {
	/**
	 * OpenCart 4.1's and 4.0.2.x's account page as rendered (account/account.twig): the header's account menu (with
	 * the same order history link) and a breadcrumb list come before the content.
	 */
	private const ACCOUNT = '<header><ul class="dropdown-menu"><li><a href="http://shop/index.php?route=account/order&amp;customer_token=t" class="dropdown-item">Order History</a></li></ul></header>'
		. '<div id="account-account" class="container"><ul class="breadcrumb"><li class="breadcrumb-item"><a href="http://shop/index.php?route=common/home">Home</a></li></ul>'
		. '<div class="row"><div id="content" class="col"><h1>My Account</h1><ul class="list-unstyled"><li><a href="http://shop/index.php?route=account/edit&amp;customer_token=t">Edit</a></li></ul>'
		. '<h2>My Orders</h2><ul class="list-unstyled"><li><a href="http://shop/index.php?route=account/order&amp;customer_token=t">View your order history</a></li>'
		. '<li><a href="http://shop/index.php?route=account/subscription&amp;customer_token=t">Subscriptions</a></li></ul></div></div></div>';

	public function testTheLinkGoesRightAfterOrderHistoryNotIntoTheBreadcrumb(): void {
		$out = PageInsert::afterListItem(self::ACCOUNT, 'http://shop/index.php?route=account/order&amp;customer_token=t', '<li>LOYALTY</li>');
		$this->assertStringContainsString('View your order history</a></li><li>LOYALTY</li><li><a href="http://shop/index.php?route=account/subscription', $out);
		$this->assertStringNotContainsString('LOYALTY', substr($out, 0, (int)strpos($out, 'id="content"')));
	}

	public function testWithoutTheOrderLinkItEndsTheFirstListOfTheContent(): void {
		$out = PageInsert::afterListItem(self::ACCOUNT, '', '<li>LOYALTY</li>');
		$this->assertStringContainsString('Edit</a></li><li>LOYALTY</li></ul><h2>My Orders</h2>', $out);
		$this->assertSame('<p>no lists</p>', PageInsert::afterListItem('<p>no lists</p>', 'x', '<li>LOYALTY</li>'));
	}
}
