/* Lojal: "This order earns N points" in the cart and checkout blocks. The Store API's cart carries the figure and
 * its sentence (extensions.lojal, added by the plugin in PHP, so it is translated and counted there); this fill
 * shows it below the order summary (ExperimentalOrderMeta) and is drawn again with every cart update. Plain JS, no
 * build step. */
(function (wp, wc) {
	'use strict';
	if (!wp || !wp.plugins || !wp.element || !wc || !wc.blocksCheckout || !wc.blocksCheckout.ExperimentalOrderMeta) return;
	var el = wp.element.createElement;
	var OrderMeta = wc.blocksCheckout.ExperimentalOrderMeta;

	function Figure(props) {
		var data = props.extensions && props.extensions.lojal;
		if (!data || !data.text) return null;
		return el('div', { className: 'wc-block-components-totals-wrapper lojal-earn lojal-earn-cart' },
			el('span', { className: 'lojal-earn__icon', 'aria-hidden': 'true' }, '\u2605'), ' ', data.text);
	}

	wp.plugins.registerPlugin('lojal-earn', {
		scope: 'woocommerce-checkout',
		render: function () {
			return el(OrderMeta, null, el(Figure, null));
		},
	});
})(window.wp, window.wc);
