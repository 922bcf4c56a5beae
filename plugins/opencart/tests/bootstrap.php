<?php
declare(strict_types=1);

require __DIR__ . '/../upload/system/library/lojal/autoload.php';

function lojal_fixture(string $name): array {
	return json_decode((string)file_get_contents(__DIR__ . '/fixtures/' . $name), true, 512, JSON_THROW_ON_ERROR);
}
