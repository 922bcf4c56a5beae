<?php
declare(strict_types=1);

// php admin-panel-in.php LOCALE COUNT... (run by PanelPluralTest): the wp-admin points panel's counted phrases in
// LOCALE, as WordPress gives them: __() and _n() answer from the plugin's own languages/lojal-LOCALE.po, each count
// through the Plural-Forms expression of its header. A separate process, because the test suite's __() and _n()
// are the untranslated stubs. Prints JSON.

/** A .po file's translations and plural rule. */
final class PoFile {
	/** @var array<string, list<string>> msgid => its msgstr forms */
	private array $strings = [];
	private string $rule = 'n != 1';

	public function __construct(string $file) {
		foreach (preg_split('/\n{2,}/', (string)file_get_contents($file)) as $block) {
			$fields = [];
			$current = null;
			foreach (explode("\n", $block) as $line) {
				if (preg_match('/^(msgid|msgid_plural|msgstr(?:\[\d\])?) "(.*)"$/', $line, $m)) $fields[$current = $m[1]] = stripcslashes($m[2]);
				elseif ($current !== null && preg_match('/^"(.*)"$/', $line, $m)) $fields[$current] .= stripcslashes($m[1]);
			}
			if (!isset($fields['msgid'])) continue;
			$forms = array_values(array_filter($fields, static fn(string $k): bool => str_starts_with($k, 'msgstr'), ARRAY_FILTER_USE_KEY));
			if ($fields['msgid'] === '' && preg_match('/plural=([^;\n]+);/', $forms[0] ?? '', $m)) $this->rule = $m[1];
			$this->strings[$fields['msgid']] = $forms;
		}
	}

	public function text(string $text): string {
		$t = $this->strings[$text][0] ?? '';
		return $t !== '' ? $t : $text;
	}

	public function plural(string $single, string $plural, int $n): string {
		$index = PluralRule::evaluate($this->rule, $n);
		$t = $this->strings[$single][$index] ?? '';
		return $t !== '' ? $t : ($n === 1 ? $single : $plural);
	}
}

/** Gettext's C plural expressions (?:, ||, &&, comparisons, %, parentheses) for one n. */
final class PluralRule {
	private array $tokens;
	private int $at = 0;

	private function __construct(string $rule, private int $n) {
		preg_match_all('/\d+|n|[!=<>]=|&&|\|\||[?:()%<>]/', $rule, $m);
		$this->tokens = $m[0];
	}

	public static function evaluate(string $rule, int $n): int {
		return (new self($rule, $n))->ternary();
	}

	private function ternary(): int {
		$condition = $this->binary(0);
		if (($this->tokens[$this->at] ?? '') !== '?') return $condition;
		$this->at++;
		$then = $this->ternary();
		$this->at++; // ':'
		$else = $this->ternary();
		return $condition !== 0 ? $then : $else;
	}

	private const LEVELS = [['||'], ['&&'], ['==', '!='], ['<', '>', '<=', '>='], ['%']];

	private function binary(int $level): int {
		if ($level === count(self::LEVELS)) return $this->operand();
		$left = $this->binary($level + 1);
		while (in_array($this->tokens[$this->at] ?? '', self::LEVELS[$level], true)) {
			$op = $this->tokens[$this->at++];
			$right = $this->binary($level + 1);
			$left = (int)match ($op) {
				'||' => $left || $right, '&&' => $left && $right, '==' => $left === $right, '!=' => $left !== $right,
				'<' => $left < $right, '>' => $left > $right, '<=' => $left <= $right, '>=' => $left >= $right, '%' => $left % $right,
			};
		}
		return $left;
	}

	private function operand(): int {
		$token = $this->tokens[$this->at++];
		if ($token === '(') {
			$value = $this->ternary();
			$this->at++; // ')'
			return $value;
		}
		return $token === 'n' ? $this->n : (int)$token;
	}
}

[, $locale] = $argv;
$counts = array_map('intval', array_slice($argv, 2));
$GLOBALS['lojal_po'] = new PoFile(__DIR__ . '/../lojal/languages/lojal-' . $locale . '.po');

function __(string $text, string $domain = 'default'): string {
	return $GLOBALS['lojal_po']->text($text);
}
function _n(string $single, string $plural, int $number, string $domain = 'default'): string {
	return $GLOBALS['lojal_po']->plural($single, $plural, $number);
}
function number_format_i18n(int|float $n): string {
	return number_format($n, 0, '', '&nbsp;'); // as a locale may give its thousands separator
}

require __DIR__ . '/../lojal/includes/autoload.php';

use Lojal\WooCommerce\AdminPanel\ActivityWords;
use Lojal\WooCommerce\AdminPanel\AdjustmentForm;
use Lojal\WooCommerce\AdminPanel\Words;

$out = [];
foreach ($counts as $n) {
	$out[$n] = [
		'next' => Words::nextTier($n, 'Gold'),
		'expiring' => Words::expiring($n, '31.01.2027'),
		'added' => Words::adjustment(AdjustmentForm::outcome(201, [], ''), $n),
		'taken' => Words::adjustment(AdjustmentForm::outcome(201, [], ''), -$n),
	];
}
$out['words'] = [
	'adjust' => ActivityWords::phrase(['kind' => 'adjust', 'reason' => 'Goodwill']) . ' ' . Words::by('Shop Admin'),
	'earn' => ActivityWords::phrase(['kind' => 'earn', 'orderId' => '55']),
	'insufficient' => Words::adjustment(AdjustmentForm::outcome(409, ['code' => 'insufficient_points'], ''), -5),
];
echo json_encode($out, JSON_UNESCAPED_UNICODE);
