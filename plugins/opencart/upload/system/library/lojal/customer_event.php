<?php
declare(strict_types=1);

namespace Lojal\OpenCart;

/**
 * `customer.upserted` from an OpenCart customer row, the same from the storefront (account/customer) and from the
 * admin (customer/customer): both models' getCustomer() rows carry customer_id, email, firstname, lastname,
 * newsletter and language_id.
 */
final class CustomerEvent {
	/**
	 * @param array $row a getCustomer() row
	 * @param string $languageCode the code of the row's language ("en-gb")
	 * @return array{id:string, body:string}
	 */
	public static function upserted(PayloadBuilder $builder, array $row, string $languageCode, string $occurredAt): array {
		$customer = $builder->customer($row + ['language_code' => $languageCode]);
		$customer['marketingConsent'] = (bool)($row['newsletter'] ?? false);
		$id = EventIds::customer((string)(int)$row['customer_id'], $customer);
		return ['id' => $id, 'body' => Json::encode(PayloadBuilder::envelope($id, 'customer.upserted', $occurredAt, ['customer' => $customer]))];
	}

	/**
	 * Builds the event (the row's language read through `$reader`, else `$fallbackLanguage`) and sends it through the
	 * outbox, which keeps it for the cron when the service cannot take it now. Returns delivered, waiting or failed.
	 */
	public static function dispatch(Outbox $outbox, OrderReader $reader, array $row, string $fallbackLanguage): string {
		$language = $reader->languageCode((int)($row['language_id'] ?? 0), $fallbackLanguage);
		$event = self::upserted($reader->builder(), $row, $language, gmdate('Y-m-d\TH:i:s\Z'));
		return $outbox->dispatch($event['id'], 'customer.upserted', $event['body']);
	}
}
