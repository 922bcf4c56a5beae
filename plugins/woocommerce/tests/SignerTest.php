<?php
declare(strict_types=1);

use Lojal\WooCommerce\Core\Signer;
use PHPUnit\Framework\TestCase;

final class SignerTest extends TestCase {
	public function testSignsLikeTheService(): void {
		// services/core/events/signature.ts signatureHeader('lj_whsec_abc', body, 1764000000); the e2e test also
		// compares against the service's function directly.
		$body = '{"id":"woocommerce:order:101:paid","name":"Łódź \"x\""}';
		$this->assertSame('t=1764000000,v1=436f60c4a65fb5be72e249fd6ed2ad4ea5e4850f3bbfb091bc840259d66362fd', Signer::header('lj_whsec_abc', $body, 1764000000));
	}

	public function testADifferentByteGivesADifferentSignature(): void {
		$this->assertNotSame(Signer::header('s', '{"a":1}', 1), Signer::header('s', '{"a":2}', 1));
		$this->assertNotSame(Signer::header('s', '{"a":1}', 1), Signer::header('s', '{"a":1}', 2));
	}
}
