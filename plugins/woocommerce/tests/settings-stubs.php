<?php
declare(strict_types=1);

// WooCommerce's settings API as the settings tab uses it (WC_Admin_Settings::output_fields and ::save_fields in
// WooCommerce 11, cut down to the field types the tab has): a field prints its `value` when given, else the saved
// option; saving reads $_POST, runs the sanitize filters, and saves nothing for a field whose value comes out null.

function woocommerce_admin_fields(array $fields): void {
	foreach ($fields as $f) {
		$f += ['id' => '', 'title' => '', 'desc' => '', 'placeholder' => '', 'default' => '', 'custom_attributes' => []];
		$value = $f['value'] ?? lojal_settings_saved($f['id'], $f['default']);
		$attrs = implode(' ', array_map(static fn(string $k, string $v): string => esc_attr($k) . '="' . esc_attr($v) . '"', array_keys($f['custom_attributes']), $f['custom_attributes']));
		$desc = $f['desc'] === '' ? '' : '<p class="description">' . $f['desc'] . '</p>';
		$label = '<tr><th><label for="' . esc_attr($f['id']) . '">' . esc_html($f['title']) . '</label></th><td>';
		echo match ($f['type']) {
			'title' => '<h2>' . esc_html($f['title']) . '</h2><table class="form-table">',
			'sectionend' => '</table>',
			'checkbox' => $label . '<input name="' . esc_attr($f['id']) . '" type="checkbox" value="1"' . ($value === 'yes' ? ' checked="checked"' : '') . ' /> ' . $f['desc'] . '</td></tr>',
			'select' => $label . '<select name="' . esc_attr($f['id']) . '">' . implode('', array_map(static fn(string $k, string $v): string => '<option value="' . esc_attr($k) . '"' . ((string)$value === $k ? ' selected' : '') . '>' . esc_html($v) . '</option>', array_map('strval', array_keys($f['options'])), $f['options'])) . '</select>' . $desc . '</td></tr>',
			'text', 'password', 'url' => $label . '<input name="' . esc_attr($f['id']) . '" id="' . esc_attr($f['id']) . '" type="' . esc_attr($f['type']) . '" value="' . esc_attr((string)$value) . '" placeholder="' . esc_attr($f['placeholder']) . '" ' . $attrs . ' />' . $desc . '</td></tr>',
			default => '',
		};
		if (!in_array($f['type'], ['title', 'sectionend', 'checkbox', 'select', 'text', 'password', 'url'], true)) WpStub::fire('woocommerce_admin_field_' . $f['type'], $f);
	}
}

/** The saved value of a field's option, `name[key]` being a key of an array option. */
function lojal_settings_saved(string $id, mixed $default): mixed {
	if (!preg_match('/^([^\[]+)\[([^\]]+)\]$/', $id, $m)) return get_option($id, $default);
	$saved = get_option($m[1], []);
	return is_array($saved) && array_key_exists($m[2], $saved) ? $saved[$m[2]] : $default;
}

function woocommerce_update_options(array $fields): bool {
	if (!$_POST) return false;
	$update = [];
	foreach ($fields as $f) {
		if (!isset($f['id'], $f['type']) || ($f['is_option'] ?? true) === false) continue;
		$nested = preg_match('/^([^\[]+)\[([^\]]+)\]$/', $f['id'], $m) === 1;
		$name = $nested ? $m[1] : $f['id'];
		$raw = $nested ? ($_POST[$m[1]][$m[2]] ?? null) : ($_POST[$f['id']] ?? null);
		$value = match ($f['type']) {
			'checkbox' => $raw === '1' || $raw === 'yes' ? 'yes' : 'no',
			'select' => in_array($raw, array_map('strval', array_keys($f['options'])), true) ? $raw : ($f['default'] ?? ''),
			default => sanitize_text_field((string)$raw),
		};
		$value = apply_filters('woocommerce_admin_settings_sanitize_option', $value, $f, $raw);
		$value = apply_filters('woocommerce_admin_settings_sanitize_option_' . $name, $value, $f, $raw);
		if ($value === null) continue;
		if ($nested) $update[$name] = [$m[2] => $value] + ($update[$name] ?? (array)get_option($name, []));
		else $update[$name] = $value;
	}
	foreach ($update as $name => $value) update_option($name, $value);
	return true;
}
