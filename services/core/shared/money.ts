const CURRENCIES = new Set(Intl.supportedValuesOf('currency'));

/** D1: an ISO 4217 code known to the runtime's ICU data. */
export function isCurrency(code: string): boolean {
  return /^[A-Z]{3}$/.test(code) && CURRENCIES.has(code);
}

/** Digits after the decimal point in the currency's minor unit (PLN 2, JPY 0, KWD 3). */
const digits = new Map<string, number>();

export function minorDigits(currency: string): number {
  let found = digits.get(currency);
  if (found === undefined) {
    found = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
    digits.set(currency, found);
  }
  return found;
}

export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
