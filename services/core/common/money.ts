const CURRENCIES = new Set(Intl.supportedValuesOf('currency'));

/**
 * D1: the largest amount (minor units) or number of points Lojal accepts, computes or stores: 2^53 − 1, the largest
 * integer JSON and JavaScript carry exactly. The columns are 64-bit; nothing written ever passes this.
 */
export const MAX_AMOUNT = Number.MAX_SAFE_INTEGER;

/** D1: a whole amount or number of points within ±MAX_AMOUNT. */
export function inRange(value: number): boolean {
  return Number.isSafeInteger(value);
}

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
