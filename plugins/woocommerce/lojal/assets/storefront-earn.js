/* Lojal: "earn N points" for the variation a customer chooses on a variable product's page. The page holds every
 * variation's figure (data-lojal-earn, one batched quote); WooCommerce's variation form says which variation and
 * price were found (found_variation) or that none is chosen (reset_data, hide_variation). Bound at once on the
 * body, so the form's first found_variation (a default variation) is not missed. */
(function ($) {
	'use strict';
	function boxes() {
		return $('.lojal-earn--variations');
	}
	$(document.body)
		.on('found_variation', 'form.variations_form', function (event, variation) {
			boxes().each(function () {
				var box = $(this);
				var text = (box.data('lojalEarn') || {})[String(variation && variation.variation_id)];
				box.find('.lojal-earn__text').text(text || '');
				box.prop('hidden', !text);
			});
		})
		.on('reset_data hide_variation', 'form.variations_form', function () {
			boxes().prop('hidden', true);
		});
})(jQuery);
