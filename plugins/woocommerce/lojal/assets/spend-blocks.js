/* Lojal: "Use your loyalty points" in the cart and checkout blocks, plain JavaScript on the blocks' globals (no
 * build step). It fills the ExperimentalDiscountsMeta slot (below the coupon form) with what the cart's
 * extensions.lojal_spend says (Spend\BlocksSpend: state "use" with the quote, "using" with the hold, or nothing),
 * and changes it through the Store API's cart/extensions endpoint (extensionCartUpdate, namespace lojal_spend),
 * whose answer is the recalculated cart, the points' fee included. Words come translated from PHP. */
(function () {
	'use strict';
	var wc = window.wc;
	var wp = window.wp;
	if (!wc || !wc.blocksCheckout || !wp || !wp.plugins || !wp.element) return;
	var el = wp.element.createElement;
	var useState = wp.element.useState;
	var checkout = wc.blocksCheckout;
	var Fill = checkout.ExperimentalDiscountsMeta;
	var settings = wc.wcSettings && wc.wcSettings.getSetting ? wc.wcSettings.getSetting('lojal-spend_data', {}) : {};
	var labels = settings.labels || {};
	if (!Fill || typeof checkout.extensionCartUpdate !== 'function') return;

	/** The Store API's error messages come HTML-escaped; shown as text. */
	function plain(text) {
		var area = document.createElement('textarea');
		area.innerHTML = String(text || '');
		return area.value;
	}

	function button(text, onClick, busy) {
		return el('button', {
			type: 'button', onClick: onClick, disabled: busy,
			className: 'wc-block-components-button wp-element-button contained' + (busy ? ' is-loading' : ''),
			style: { flex: '0 0 auto' }
		}, el('span', { className: 'wc-block-components-button__text' }, text));
	}

	/** "Remove" as the blocks' own line links look (the cart item's "Remove item"). */
	function link(text, onClick, busy) {
		return el('button', {
			type: 'button', onClick: onClick, disabled: busy, className: 'lojal-spend-blocks__remove',
			style: { background: 'none', border: 0, padding: 0, color: 'inherit', font: 'inherit', fontSize: '.875em', textDecoration: 'underline', cursor: 'pointer', flex: '0 0 auto' }
		}, text);
	}

	/** The slot's rows are padded like the totals' items around them (none in the cart, some in the checkout). */
	function box(state, children) {
		return el('div', { className: 'wc-block-components-totals-wrapper lojal-spend-blocks lojal-spend-blocks--' + state },
			el('div', { className: 'wc-block-components-totals-item', style: { display: 'block' } }, children));
	}

	function Panel(props) {
		var data = (props.extensions && props.extensions.lojal_spend) || {};
		var pointsState = useState('');
		var busyState = useState(false);
		var messageState = useState(null);
		var points = pointsState[0], setPoints = pointsState[1];
		var busy = busyState[0], setBusy = busyState[1];
		var message = messageState[0], setMessage = messageState[1];
		if (data.state !== 'use' && data.state !== 'using') return null;
		var id = 'lojal-spend-points-' + String(props.context || 'cart').replace(/[^a-z]/g, '-');

		// A message belongs to the state it was said in: once the cart changes the state (a changed cart releases
		// the hold), it goes.
		function send(payload, done) {
			var now = data.state;
			setBusy(true);
			setMessage(null);
			checkout.extensionCartUpdate({ namespace: 'lojal_spend', data: payload })
				.then(function () { setMessage({ ok: true, text: done, state: payload.action === 'remove' ? 'use' : 'using' }); setPoints(''); })
				.catch(function (error) { setMessage({ ok: false, text: plain((error && error.message) || labels.failed), state: now }); })
				.then(function () { setBusy(false); });
		}

		var note = message && message.state === data.state ? el('p', {
			role: message.ok ? 'status' : 'alert',
			className: 'lojal-spend-blocks__message',
			style: { margin: '.5em 0 0', color: message.ok ? 'inherit' : '#cc1818' }
		}, message.text) : null;

		if (data.state === 'using') {
			return box('using', [
				el('div', { key: 'row', style: { display: 'flex', alignItems: 'baseline', justifyContent: 'space-between', gap: '1em' } },
					el('span', null, data.using),
					link(labels.remove, function () { send({ action: 'remove' }, labels.removed); }, busy)),
				note && el('div', { key: 'note' }, note)
			]);
		}
		var value = points === '' ? String(data.max) : points;
		return box('use', [
			el('strong', { key: 'heading' }, labels.heading),
			el('p', { key: 'quote', style: { margin: '.25em 0 .75em' } }, data.have + ' ' + data.upTo),
			el('div', { key: 'form', style: { display: 'flex', gap: '.75em', alignItems: 'stretch' } },
				el('div', { className: 'wc-block-components-text-input is-active', style: { flex: '1 1 auto', marginTop: 0 } },
					el('input', {
						id: id, type: 'number', inputMode: 'numeric', min: data.min, max: data.max, step: 1, value: value, disabled: busy,
						onChange: function (e) { setPoints(e.target.value); },
						onKeyDown: function (e) { if (e.key === 'Enter') { e.preventDefault(); send({ action: 'use', points: parseInt(value, 10) || 0 }, labels.applied); } }
					}),
					el('label', { htmlFor: id }, labels.points)),
				button(labels.use, function () { send({ action: 'use', points: parseInt(value, 10) || 0 }, labels.applied); }, busy)),
			note && el('div', { key: 'note' }, note)
		]);
	}

	wp.plugins.registerPlugin('lojal-spend', {
		scope: 'woocommerce-checkout',
		render: function () { return el(Fill, null, el(Panel, null)); }
	});
})();
