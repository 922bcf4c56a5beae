import type { MailLocale } from './mail-types.ts';

export const MAIL_LOCALES: readonly MailLocale[] = ['en', 'pl', 'ro', 'ru'];

/** D17: the member's language when Lojal has its messages ("pl", "pl-PL", "PL_pl"), otherwise English. */
export function mailLocale(locale: string | null | undefined): MailLocale {
  const language = (locale ?? '').trim().toLowerCase().split(/[-_]/)[0];
  return (MAIL_LOCALES as readonly string[]).includes(language ?? '') ? (language as MailLocale) : 'en';
}

/**
 * A noun's forms by CLDR plural category. English has one and other; Polish and Russian one, few and many (other is
 * for fractions, which points never are); Romanian one, few (0, 2–19, 101–119 …) and other, which takes "de"
 * (20 de puncte, 1.000 de puncte).
 */
export type Forms = Partial<Record<Intl.LDMLPluralRule, string>> & { other: string };

export interface Formatter {
  locale: MailLocale;
  /** "1,000 points", "1000 punktów", "1.000 de puncte", "1 000 баллов": the number and its noun agree. */
  count(n: number, forms: Forms): string;
  number(n: number): string;
  /** D9: an earning multiplier given as a decimal string ("1.5"): "1.5×", "1,5×". */
  multiplier(decimal: string): string;
  /** Minor units as money in the currency's own decimals. */
  money(minor: number, currency: string): string;
  /** The shop's calendar day, written the language's way. */
  date(at: Date): string;
}

export function formatter(locale: MailLocale, timeZone: string): Formatter {
  const plural = new Intl.PluralRules(locale);
  const numbers = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
  const dates = new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: safeZone(timeZone) });
  return {
    locale,
    count: (n, forms) => {
      const category = plural.select(n);
      return (forms[category] ?? forms.other).replace('#', numbers.format(n));
    },
    number: (n) => numbers.format(n),
    multiplier: (decimal) => `${new Intl.NumberFormat(locale, { maximumFractionDigits: 6 }).format(Number(decimal))}×`,
    money: (minor, currency) => {
      const money = new Intl.NumberFormat(locale, { style: 'currency', currency });
      const digits = money.resolvedOptions().maximumFractionDigits ?? 2;
      return money.format(minor / 10 ** digits);
    },
    date: (at) => dates.format(at),
  };
}

/** A zone the runtime does not know (the shop's setting is free text) falls back to UTC rather than failing a send. */
export function safeZone(timeZone: string): string {
  try {
    new Intl.DateTimeFormat('en', { timeZone });
    return timeZone;
  } catch {
    return 'UTC';
  }
}
