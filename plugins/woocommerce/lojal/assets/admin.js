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

	// The import: one start that counts every source's customers (kept with the import at the server), then batches
	// that only move through them; one bar and one count over every source.
	var importButton = document.getElementById('lojal-import');
	if (importButton) importButton.addEventListener('click', function () {
		var bar = document.getElementById('lojal-import-progress');
		var out = document.getElementById('lojal-import-result');
		var sources = [], totals = {}, total = 0;
		var applied = 0, duplicates = 0, errors = 0, finished = 0;
		importButton.disabled = true;
		bar.hidden = false;
		bar.value = 0;
		out.style.color = '';
		out.textContent = cfg.text.importing;

		function fail(a) { say(out, a); importButton.disabled = false; }
		function format(done) {
			return cfg.text.progress.replace('%1$s', done).replace('%2$s', total).replace('%3$s', applied).replace('%4$s', duplicates);
		}
		function batch(index, offset) {
			if (index >= sources.length) {
				bar.value = 100;
				out.textContent += ' ' + cfg.text.done;
				importButton.disabled = false;
				return;
			}
			post('lojal_import_points', { source: sources[index], offset: offset }).then(function (a) {
				if (!a || !a.success) { fail(a); return; }
				applied += a.data.applied;
				duplicates += a.data.duplicates;
				errors += (a.data.errors || []).length;
				var done = finished + a.data.done;
				bar.value = total ? Math.floor(done * 100 / total) : 100;
				out.textContent = format(done) + (errors ? ' (' + errors + ' ✗)' : '');
				if (a.data.next === null) { finished += totals[sources[index]]; batch(index + 1, 0); } else batch(index, a.data.next);
			}, function () { fail(null); });
		}
		post('lojal_import_start', {}).then(function (a) {
			if (!a || !a.success) { fail(a); return; }
			sources = a.data.sources;
			totals = a.data.totals;
			total = a.data.total;
			out.textContent = format(0);
			batch(0, 0);
		}, function () { fail(null); });
	});
})();
