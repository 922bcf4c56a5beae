/* Lojal points panel in wp-admin (user profile, order screen): loads the panel by admin-ajax so the page never
 * waits on the service, and sends the adjustment form once (its key is the form's; a refusal that wrote nothing
 * brings a new one). The fields have no name: the card sits inside the page's own form, which must not send them. */
(function () {
	'use strict';
	var cfg = window.lojalPanel;
	if (!cfg) return;

	function request(method, data) {
		var body = new FormData();
		body.append('nonce', cfg.nonce);
		Object.keys(data).forEach(function (k) { body.append(k, data[k]); });
		var url = cfg.ajaxUrl;
		var init = { method: method, credentials: 'same-origin' };
		if (method === 'GET') url += '?' + new URLSearchParams(body).toString();
		else init.body = body;
		return fetch(url, init).then(function (r) {
			return r.json().catch(function () { return { success: false, data: {} }; });
		});
	}

	function notice(card, level, text) {
		var box = card.querySelector('.lojal-points-notice');
		box.innerHTML = '';
		if (!text) return;
		var div = document.createElement('div');
		div.className = 'notice notice-' + level + ' inline';
		var p = document.createElement('p');
		p.textContent = text;
		div.appendChild(p);
		box.appendChild(div);
	}

	function target(card) {
		var t = {};
		t[card.getAttribute('data-lojal-kind')] = card.getAttribute('data-lojal-id');
		return t;
	}

	function load(card) {
		var body = card.querySelector('.lojal-points-body');
		card.classList.add('lojal-points-busy');
		function failed() {
			body.innerHTML = '<div class="notice notice-error inline"><p></p></div>';
			body.querySelector('p').textContent = cfg.text.failed;
		}
		request('GET', Object.assign({ action: 'lojal_member_panel' }, target(card))).then(function (a) {
			if (a && a.data && a.data.html) body.innerHTML = a.data.html;
			else failed();
		}, failed).then(function () { card.classList.remove('lojal-points-busy'); });
	}

	function showErrors(form, errors) {
		form.querySelectorAll('[data-lojal-error]').forEach(function (el) { el.textContent = ''; });
		form.querySelectorAll('.lojal-points-invalid').forEach(function (el) { el.classList.remove('lojal-points-invalid'); });
		Object.keys(errors || {}).forEach(function (field) {
			var out = form.querySelector('[data-lojal-error="' + field + '"]');
			if (out) out.textContent = errors[field];
			var input = form.querySelector('[data-lojal-field="' + field + '"]');
			if (input) input.classList.add('lojal-points-invalid');
		});
	}

	function adjust(card, form) {
		var button = form.querySelector('[data-lojal-submit]');
		if (button.disabled) return; // a second click while the first is on its way sends nothing
		var data = Object.assign({ action: 'lojal_adjust_points' }, target(card));
		form.querySelectorAll('[data-lojal-field]').forEach(function (input) {
			var name = input.getAttribute('data-lojal-field');
			if (input.type === 'checkbox') { if (input.checked) data[name] = '1'; } else data[name] = input.value;
		});
		button.disabled = true;
		notice(card, 'info', cfg.text.sending);
		request('POST', data).then(function (a) {
			var d = (a && a.data) || {};
			if (d.key) form.querySelector('[data-lojal-field="idempotency_key"]').value = d.key;
			if (a && a.success) {
				notice(card, 'success', d.message);
			} else if (d.reload && d.message) {
				notice(card, 'error', d.message);
			} else {
				notice(card, '', '');
				showErrors(form, d.errors || { warning: d.message || cfg.text.failed });
			}
			if (d.reload) load(card);
		}, function () {
			notice(card, 'error', cfg.text.failed);
		}).then(function () { button.disabled = false; });
	}

	document.querySelectorAll('.lojal-points[data-lojal-kind]').forEach(function (card) {
		load(card);
		card.addEventListener('click', function (e) {
			if (e.target.closest('[data-lojal-reload]')) { e.preventDefault(); notice(card, '', ''); load(card); }
			var submit = e.target.closest('[data-lojal-submit]');
			if (submit) { e.preventDefault(); adjust(card, submit.closest('[data-lojal-form]')); }
		});
		// Enter in a field adjusts, instead of submitting the profile's or the order's own form.
		card.addEventListener('keydown', function (e) {
			var form = e.target.closest && e.target.closest('[data-lojal-form]');
			if (form && e.key === 'Enter') { e.preventDefault(); adjust(card, form); }
		});
	});
})();
