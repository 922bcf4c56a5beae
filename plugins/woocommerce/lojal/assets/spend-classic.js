/* Lojal: "Use your loyalty points" in the classic (shortcode) cart and checkout. The box is rendered by PHP
 * (Spend\ClassicBox); its buttons post to admin-ajax, then the box is swapped for the answer's and WooCommerce is
 * asked to refresh the cart or the checkout's totals, which recalculates the points' fee. */
(function ($) {
	'use strict';
	var cfg = window.lojalSpend;
	if (!cfg || !$) return;

	function notice(message, ok) {
		var el = $('<div role="alert"></div>').addClass(ok ? 'woocommerce-message' : 'woocommerce-error').text(message);
		var wrap = $('.woocommerce-notices-wrapper').first();
		$('.lojal-spend-notice').remove();
		el.addClass('lojal-spend-notice');
		if (wrap.length) wrap.append(el);
		else $('.lojal-spend').first().before(el);
	}

	function refresh(context) {
		// The checkout's totals come back from update_order_review; the cart's from the cart page (notices kept).
		if (context === 'checkout') $(document.body).trigger('update_checkout');
		else $(document.body).trigger('wc_update_cart', [true]);
	}

	function send(box, data) {
		var context = box.data('context');
		box.addClass('processing').find('button, input').prop('disabled', true);
		$.post(cfg.ajaxUrl, $.extend({ action: 'lojal_spend', nonce: cfg.nonce, context: context }, data))
			.done(function (answer) {
				var d = (answer && answer.data) || {};
				if (typeof d.html === 'string') box.replaceWith(d.html);
				else box.removeClass('processing').find('button, input').prop('disabled', false);
				notice(d.message || cfg.text.failed, !!(answer && answer.success));
				if (answer && answer.success) refresh(context);
			})
			.fail(function () {
				box.removeClass('processing').find('button, input').prop('disabled', false);
				notice(cfg.text.failed, false);
			});
	}

	$(document.body).on('click', '.lojal-spend__use', function (e) {
		e.preventDefault();
		var box = $(this).closest('.lojal-spend');
		send(box, { do: 'use', points: box.find('.lojal-spend__points').val() });
	});
	$(document.body).on('click', '.lojal-spend__remove', function (e) {
		e.preventDefault();
		send($(this).closest('.lojal-spend'), { do: 'remove' });
	});
	// Enter in the points field uses them; it must not submit the checkout form around it.
	$(document.body).on('keydown', '.lojal-spend__points', function (e) {
		if (e.key !== 'Enter') return;
		e.preventDefault();
		$(this).closest('.lojal-spend').find('.lojal-spend__use').trigger('click');
	});
})(window.jQuery);
