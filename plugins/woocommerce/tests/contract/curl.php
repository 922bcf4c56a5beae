<?php
declare(strict_types=1);

// The contract scripts' transport for the plugin's HttpClient: plain cURL, as WordPress's HTTP API would send.
return static function (string $method, string $target, array $headers, ?string $body, float $timeoutSeconds): array {
	$ch = curl_init($target);
	curl_setopt_array($ch, [CURLOPT_CUSTOMREQUEST => $method, CURLOPT_RETURNTRANSFER => true, CURLOPT_TIMEOUT_MS => (int)($timeoutSeconds * 1000),
		CURLOPT_HTTPHEADER => array_map(static fn($n, $v): string => $n . ": " . $v, array_keys($headers), $headers)]);
	if ($body !== null) curl_setopt($ch, CURLOPT_POSTFIELDS, $body);
	$answer = curl_exec($ch);
	$status = (int)curl_getinfo($ch, CURLINFO_RESPONSE_CODE);
	$error = $answer === false ? curl_error($ch) : '';
	curl_close($ch);
	return ['status' => $answer === false ? 0 : $status, 'body' => $answer === false ? '' : (string)$answer, 'error' => $error];
};
