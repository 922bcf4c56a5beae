<?php
/**
 * The points panel of a member (PanelView::panel): $panel from PanelModel::build, $formKey the adjustment form's
 * key or null (view only).
 * @var array $panel
 * @var ?string $formKey
 */
defined('ABSPATH') || exit;
$figures = $panel['figures'];
?>
<div class="lojal-points-grid">
	<table class="widefat striped lojal-points-figures">
		<tbody>
			<tr><th scope="row"><?php esc_html_e('Points to spend', 'lojal'); ?></th><td class="lojal-points-available<?php echo $panel['debt'] ? ' lojal-points-debit' : ''; ?>"><strong><?php echo esc_html($figures['available']); ?></strong></td></tr>
			<tr><th scope="row"><?php esc_html_e('Pending', 'lojal'); ?></th><td class="lojal-points-pending"><?php echo esc_html($figures['pending']); ?></td></tr>
			<tr><th scope="row"><?php esc_html_e('Held for a checkout', 'lojal'); ?></th><td class="lojal-points-held"><?php echo esc_html($figures['held']); ?></td></tr>
		</tbody>
	</table>
	<table class="widefat striped lojal-points-figures">
		<tbody>
			<tr><th scope="row"><?php esc_html_e('Earned in total', 'lojal'); ?></th><td><?php echo esc_html($figures['earned']); ?></td></tr>
			<tr><th scope="row"><?php esc_html_e('Redeemed in total', 'lojal'); ?></th><td><?php echo esc_html($figures['redeemed']); ?></td></tr>
			<tr><th scope="row"><?php esc_html_e('Expired in total', 'lojal'); ?></th><td><?php echo esc_html($figures['expired']); ?></td></tr>
		</tbody>
	</table>
	<table class="widefat striped lojal-points-figures lojal-points-tier">
		<tbody>
			<tr><th scope="row"><?php esc_html_e('Tier', 'lojal'); ?></th><td>
				<?php if ($panel['tier'] !== '') : ?><strong><?php echo esc_html($panel['tier']); ?></strong>
					<?php if ($panel['next'] !== '') : ?><br><span class="description"><?php echo esc_html($panel['next']); ?></span><?php endif; ?>
				<?php else : esc_html_e('None', 'lojal'); endif; ?>
			</td></tr>
			<tr><th scope="row"><?php esc_html_e('Expiring soon', 'lojal'); ?></th><td>
				<?php foreach ($panel['expiring'] as $line) : ?><div><?php echo esc_html($line); ?></div><?php endforeach; ?>
				<?php if (!$panel['expiring']) esc_html_e('None', 'lojal'); ?>
			</td></tr>
		</tbody>
	</table>
</div>

<div class="lojal-points-columns">
	<div class="lojal-points-history">
		<h4><?php esc_html_e('Recent activity', 'lojal'); ?></h4>
		<?php if ($panel['activityError'] !== '') : ?>
			<div class="notice notice-warning inline"><p><?php echo esc_html($panel['activityError']); ?></p></div>
		<?php else : ?>
			<table class="widefat striped lojal-points-activity">
				<thead><tr><th><?php esc_html_e('Date', 'lojal'); ?></th><th><?php esc_html_e('Description', 'lojal'); ?></th><th class="lojal-points-number"><?php esc_html_e('Points', 'lojal'); ?></th></tr></thead>
				<tbody>
				<?php foreach ($panel['activity'] as $entry) : ?>
					<tr><td class="lojal-points-date"><?php echo esc_html($entry['date']); ?></td><td><?php echo esc_html($entry['text']); ?></td><td class="lojal-points-number <?php echo $entry['debit'] ? 'lojal-points-debit' : 'lojal-points-credit'; ?>"><?php echo esc_html($entry['points']); ?></td></tr>
				<?php endforeach; ?>
				<?php if (!$panel['activity']) : ?>
					<tr><td colspan="3"><?php esc_html_e('No activity yet.', 'lojal'); ?></td></tr>
				<?php endif; ?>
				</tbody>
			</table>
		<?php endif; ?>
	</div>

	<div class="lojal-points-adjust">
		<h4><?php esc_html_e('Adjust points', 'lojal'); ?></h4>
		<?php if ($formKey === null) : ?>
			<p class="description"><?php esc_html_e('You can see the points but not adjust them: that needs the "Manage WooCommerce" permission.', 'lojal'); ?></p>
		<?php else : ?>
			<div class="lojal-points-form" data-lojal-form>
				<div class="lojal-points-warning" data-lojal-error="warning"></div>
				<p>
					<label for="lojal-adjust-points"><?php esc_html_e('Points', 'lojal'); ?></label><br>
					<input type="text" id="lojal-adjust-points" data-lojal-field="points" inputmode="numeric" placeholder="50 / -50" autocomplete="off" class="regular-text">
					<span class="lojal-points-error" data-lojal-error="points"></span>
					<span class="description"><?php esc_html_e('A whole number: positive to add points, negative (e.g. -50) to take them away.', 'lojal'); ?></span>
				</p>
				<p>
					<label for="lojal-adjust-reason"><?php esc_html_e('Reason', 'lojal'); ?></label><br>
					<input type="text" id="lojal-adjust-reason" data-lojal-field="reason" maxlength="400" autocomplete="off" class="regular-text">
					<span class="lojal-points-error" data-lojal-error="reason"></span>
					<span class="description"><?php esc_html_e('Required, at most 400 characters. The customer reads it in their account; your name is kept beside it for the shop only.', 'lojal'); ?></span>
				</p>
				<p>
					<label><input type="checkbox" data-lojal-field="allow_negative" value="1"> <?php esc_html_e('Allow a negative balance', 'lojal'); ?></label><br>
					<span class="description"><?php esc_html_e('For taking away more than the customer has to spend: the balance goes below zero and their next points repay it.', 'lojal'); ?></span>
				</p>
				<input type="hidden" data-lojal-field="idempotency_key" value="<?php echo esc_attr($formKey); ?>">
				<p><button type="button" class="button button-primary" data-lojal-submit><?php echo esc_html_x('Adjust points', 'button', 'lojal'); ?></button>
					<button type="button" class="button" data-lojal-reload><?php esc_html_e('Reload', 'lojal'); ?></button></p>
			</div>
		<?php endif; ?>
	</div>
</div>
