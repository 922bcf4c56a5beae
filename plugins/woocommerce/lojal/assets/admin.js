/* Lojal settings tab: Test connection, Retry failed events, Import existing points (batched, with progress). */
(function () {
	'use strict';
	var cfg = window.lojalAdmin;
	if (!cfg) return;

	function post(action, data) {
		var body = new FormData();
		body.append('action', action);
		body.append('nonce', cfg.nonce);
		Object.keys(data || {}).forEach(function (k) { body.append(k, data[k]); });
		return fetch(cfg.ajaxUrl, { method: 'POST', body: body, credentials: 'same-origin' }).then(function (r) {
			return r.json().catch(function () { return { success: false, data: { message: cfg.text.failed } }; });
		});
	}

	function say(el, answer) {
		var message = answer && answer.data && answer.data.message ? answer.data.message : cfg.text.failed;
		el.textContent = message;
		el.style.color = answer && answer.success ? '#007017' : '#b32d2e';
	}

	function field(id) {
		var input = document.getElementById(id);
		return input ? input.value : '';
	}

	var test = document.getElementById('lojal-test');
	if (test) test.addEventListener('click', function () {
		var out = document.getElementById('lojal-test-result');
		out.style.color = '';
		out.textContent = cfg.text.testing;
		test.disabled = true;
		post('lojal_test_connection', { url: field(cfg.fields.url), apiKey: field(cfg.fields.apiKey), secret: field(cfg.fields.secret) })
			.then(function (a) { say(out, a); }, function () { say(out, null); })
			.then(function () { test.disabled = false; });
	});

	var retry = document.getElementById('lojal-retry');
	if (retry) retry.addEventListener('click', function () {
		var out = document.getElementById('lojal-retry-result');
		retry.disabled = true;
		post('lojal_retry_failed', {}).then(function (a) { say(out, a); }, function () { say(out, null); });
	});

	var importButton = document.getElementById('lojal-import');
	if (importButton) importButton.addEventListener('click', function () {
		var sources = (importButton.getAttribute('data-sources') || '').split(',').filter(Boolean);
		var bar = document.getElementById('lojal-import-progress');
		var out = document.getElementById('lojal-import-result');
		var total = Number(importButton.getAttribute('data-total')) || 0;
		var applied = 0, duplicates = 0, errors = 0, finished = 0;
		importButton.disabled = true;
		bar.hidden = false;
		bar.value = 0;
		out.style.color = '';
		out.textContent = cfg.text.importing;

		// One bar and one count over every source: the customers of the sources already done, plus this one's.
		function format(done) {
			return cfg.text.progress.replace('%1$s', done).replace('%2$s', total).replace('%3$s', applied).replace('%4$s', duplicates);
		}
		function batch(index, offset) {
			if (index >= sources.length) {
				out.textContent += ' ' + cfg.text.done;
				importButton.disabled = false;
				return;
			}
			post('lojal_import_points', { source: sources[index], offset: offset }).then(function (a) {
				if (!a || !a.success) { say(out, a); importButton.disabled = false; return; }
				applied += a.data.applied;
				duplicates += a.data.duplicates;
				errors += (a.data.errors || []).length;
				var done = finished + a.data.done;
				total = Math.max(total, finished + a.data.total);
				bar.value = total ? Math.floor(done * 100 / total) : 100;
				out.textContent = format(done) + (errors ? ' (' + errors + ' ✗)' : '');
				if (a.data.next === null) { finished += a.data.total; batch(index + 1, 0); } else batch(index, a.data.next);
			}, function () { say(out, null); importButton.disabled = false; });
		}
		batch(0, 0);
	});
})();
