<?php
/**
 * My Account → Points (Lojal). A theme may override it as yourtheme/lojal/storefront-account-points.php.
 *
 * @var array $view Lojal\WooCommerce\Storefront\MemberView::build()
 */

declare(strict_types=1);

use Lojal\WooCommerce\Storefront\Shop;
use Lojal\WooCommerce\Storefront\Words;

defined('ABSPATH') || exit;

$lojal_n = static fn(int $n): string => number_format_i18n($n);
?>
<div class="lojal-points">
<?php if ($view['state'] === 'unknown') : ?>
	<p class="woocommerce-info"><?php esc_html_e('You have no loyalty points yet. Place an order to start collecting them.', 'lojal'); ?></p>
<?php elseif ($view['state'] !== 'member') : ?>
	<p class="woocommerce-info"><?php esc_html_e('Your points cannot be shown right now. Please try again later.', 'lojal'); ?></p>
<?php else : ?>
	<div class="lojal-points-figures">
		<div class="lojal-points-figure lojal-points-available">
			<?php esc_html_e('Points to spend', 'lojal'); ?>
			<strong><?php echo esc_html($lojal_n($view['available'])); ?></strong>
			<?php if ($view['held'] > 0) : ?><small><?php echo esc_html(sprintf(Words::held($view['held']), $lojal_n($view['held']))); ?></small><?php endif; ?>
		</div>
		<div class="lojal-points-figure lojal-points-pending">
			<?php esc_html_e('Pending points', 'lojal'); ?>
			<strong><?php echo esc_html($lojal_n($view['pending'])); ?></strong>
			<small><?php esc_html_e('Points from recent orders, yours once the return period is over.', 'lojal'); ?></small>
		</div>
		<?php if ($view['tier'] !== '') : ?>
		<div class="lojal-points-figure lojal-points-tier">
			<?php esc_html_e('Your tier', 'lojal'); ?>
			<strong><?php echo esc_html($view['tier']); ?></strong>
			<?php if ($view['next'] !== null) : ?><small><?php echo esc_html(sprintf(Words::nextTier($view['next']['remaining']), $lojal_n($view['next']['remaining']), $view['next']['name'])); ?></small><?php endif; ?>
		</div>
		<?php endif; ?>
	</div>
	<?php if ($view['expiring']) : ?>
	<h3><?php esc_html_e('Expiring soon', 'lojal'); ?></h3>
	<ul class="lojal-points-expiring">
		<?php foreach ($view['expiring'] as $lojal_lot) : ?>
		<li><?php echo esc_html(sprintf(Words::expiring($lojal_lot['points']), $lojal_n($lojal_lot['points']), Shop::date($lojal_lot['at']))); ?></li>
		<?php endforeach; ?>
	</ul>
	<?php endif; ?>
	<h3><?php esc_html_e('Recent activity', 'lojal'); ?></h3>
	<?php if ($view['activityError']) : ?>
	<p class="woocommerce-info"><?php esc_html_e('Your recent activity cannot be shown right now. Please try again later.', 'lojal'); ?></p>
	<?php elseif (!$view['activity']) : ?>
	<p><?php esc_html_e('No activity yet.', 'lojal'); ?></p>
	<?php else : ?>
	<table class="woocommerce-table shop_table lojal-points-activity">
		<thead><tr>
			<th><?php esc_html_e('Date', 'lojal'); ?></th>
			<th><?php esc_html_e('Description', 'lojal'); ?></th>
			<th class="lojal-points-amount"><?php esc_html_e('Points', 'lojal'); ?></th>
		</tr></thead>
		<tbody>
		<?php foreach ($view['activity'] as $lojal_entry) : ?>
			<tr>
				<td><?php echo esc_html(Shop::date($lojal_entry['at'])); ?></td>
				<td><?php echo esc_html($lojal_entry['text']); ?></td>
				<td class="lojal-points-amount<?php echo $lojal_entry['debit'] ? ' lojal-debit' : ''; ?>"><?php echo esc_html($lojal_entry['points']); ?></td>
			</tr>
		<?php endforeach; ?>
		</tbody>
	</table>
	<?php endif; ?>
<?php endif; ?>
</div>
