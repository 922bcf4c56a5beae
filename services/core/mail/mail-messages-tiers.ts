import type { Line, MailLocale, TemplateText, Values } from './mail-types.ts';

/**
 * D9/D17: the tier messages' sentences in each language. `remaining` is already "120 points" (in the noun's form
 * for the number) or money; it is the object of an imperative ("earn another", pl "zbierz jeszcze", ru "наберите
 * ещё"), where Polish and Russian inanimate nouns keep the counted form (1 punkt, 2 punkty, 5 punktów), so no verb
 * has to agree with the number. A tier's name is the shop's: it stands after the word for tier or a colon, never
 * declined.
 */
interface Direction {
  subject: (v: Values) => string;
  intro: (v: Values) => string[];
  /** Said when the tier's multiplier is not 1. */
  multiplier: (v: Values) => string;
  /** What it takes to reach `next`: points to earn, or money to spend. */
  points: (v: Values) => string;
  spend: (v: Values) => string;
}

interface TierWords {
  up: Direction;
  down: Direction;
  /** Above the list of the tier's benefits. */
  benefits: (v: Values) => string;
}

export type TierTemplates = { tierUp: TemplateText; tierDown: TemplateText };

/** The lines of one direction: what happened, the multiplier, the benefits as a list, the way to the next tier. */
function templateOf(d: Direction, w: TierWords): TemplateText {
  return {
    subject: d.subject,
    lines: (v): Line[] => [
      ...d.intro(v),
      ...(v.multiplier ? [d.multiplier(v)] : []),
      ...(v.benefits.length > 0 ? [w.benefits(v), v.benefits] : []),
      ...(v.next && v.remaining ? [v.basis === 'spend' ? d.spend(v) : d.points(v)] : []),
    ],
  };
}

const templates = (w: TierWords): TierTemplates => ({ tierUp: templateOf(w.up, w), tierDown: templateOf(w.down, w) });

// tierDown is an account status, not a reproach: it thanks the member, says their points are untouched, and shows
// the way back, whatever the reason (a window closed, the shop changed its tiers, an operator's change).
const en = templates({
  up: {
    subject: (v) => `Congratulations! Your new tier: ${v.tier}`,
    intro: (v) => [`Congratulations! You have reached a new tier at ${v.shop}: ${v.tier}. Thank you for your loyalty.`],
    multiplier: (v) => `You now earn ${v.multiplier} points.`,
    points: (v) => `Earn another ${v.remaining} to reach ${v.next}.`,
    spend: (v) => `Spend another ${v.remaining} to reach ${v.next}.`,
  },
  down: {
    subject: (v) => `An update on your tier: ${v.tier}`,
    intro: (v) => [
      `Thank you for being a member at ${v.shop}.`,
      `Your tier is now ${v.tier}. The points you have collected stay yours.`,
    ],
    multiplier: (v) => `In ${v.tier} you earn ${v.multiplier} points.`,
    points: (v) => `Earn another ${v.remaining} to return to ${v.next}.`,
    spend: (v) => `Spend another ${v.remaining} to return to ${v.next}.`,
  },
  benefits: (v) => `Your ${v.tier} benefits:`,
});

const pl = templates({
  up: {
    subject: (v) => `Gratulacje! Twój nowy poziom: ${v.tier}`,
    intro: (v) => [`Gratulacje! Osiągasz nowy poziom w ${v.shop}: ${v.tier}. Dziękujemy, że jesteś z nami.`],
    multiplier: (v) => `Od teraz zbierasz punkty z mnożnikiem ${v.multiplier}.`,
    points: (v) => `Zbierz jeszcze ${v.remaining}, aby osiągnąć poziom ${v.next}.`,
    spend: (v) => `Wydaj jeszcze ${v.remaining}, aby osiągnąć poziom ${v.next}.`,
  },
  down: {
    subject: (v) => `Zmiana Twojego poziomu: ${v.tier}`,
    intro: (v) => [
      `Dziękujemy, że jesteś z nami w ${v.shop}.`,
      `Od teraz Twój poziom to ${v.tier}. Zebrane punkty pozostają na Twoim koncie.`,
    ],
    multiplier: (v) => `Na poziomie ${v.tier} zbierasz punkty z mnożnikiem ${v.multiplier}.`,
    points: (v) => `Zbierz jeszcze ${v.remaining}, aby wrócić na poziom ${v.next}.`,
    spend: (v) => `Wydaj jeszcze ${v.remaining}, aby wrócić na poziom ${v.next}.`,
  },
  benefits: (v) => `Twoje korzyści na poziomie ${v.tier}:`,
});

const ro = templates({
  up: {
    subject: (v) => `Felicitări! Noul dumneavoastră nivel: ${v.tier}`,
    intro: (v) => [`Felicitări! Ați ajuns la un nivel nou la ${v.shop}: ${v.tier}. Vă mulțumim pentru fidelitate.`],
    multiplier: (v) => `De acum primiți puncte cu multiplicatorul ${v.multiplier}.`,
    points: (v) => `Mai acumulați ${v.remaining} pentru a ajunge la nivelul ${v.next}.`,
    spend: (v) => `Mai cheltuiți ${v.remaining} pentru a ajunge la nivelul ${v.next}.`,
  },
  down: {
    subject: (v) => `Nivelul dumneavoastră s-a schimbat: ${v.tier}`,
    intro: (v) => [
      `Vă mulțumim că sunteți alături de ${v.shop}.`,
      `Nivelul dumneavoastră este acum ${v.tier}. Punctele acumulate rămân în contul dumneavoastră.`,
    ],
    multiplier: (v) => `La nivelul ${v.tier} primiți puncte cu multiplicatorul ${v.multiplier}.`,
    points: (v) => `Mai acumulați ${v.remaining} pentru a reveni la nivelul ${v.next}.`,
    spend: (v) => `Mai cheltuiți ${v.remaining} pentru a reveni la nivelul ${v.next}.`,
  },
  benefits: (v) => `Beneficiile nivelului ${v.tier}:`,
});

const ru = templates({
  up: {
    subject: (v) => `Поздравляем! Ваш новый уровень: ${v.tier}`,
    intro: (v) => [`Поздравляем! Вы достигли нового уровня в ${v.shop}: ${v.tier}. Спасибо, что вы с нами!`],
    multiplier: (v) => `Теперь вы получаете баллы с множителем ${v.multiplier}.`,
    points: (v) => `Наберите ещё ${v.remaining}, чтобы перейти на уровень ${v.next}.`,
    spend: (v) => `Совершите покупки ещё на ${v.remaining}, чтобы перейти на уровень ${v.next}.`,
  },
  down: {
    subject: (v) => `Ваш уровень изменился: ${v.tier}`,
    intro: (v) => [
      `Спасибо, что выбираете ${v.shop}!`,
      `Теперь ваш уровень — ${v.tier}. Накопленные баллы остаются на вашем счёте.`,
    ],
    multiplier: (v) => `На уровне ${v.tier} вы получаете баллы с множителем ${v.multiplier}.`,
    points: (v) => `Наберите ещё ${v.remaining}, чтобы вернуться на уровень ${v.next}.`,
    spend: (v) => `Совершите покупки ещё на ${v.remaining}, чтобы вернуться на уровень ${v.next}.`,
  },
  benefits: (v) => `Преимущества уровня ${v.tier}:`,
});

export const TIER_TEMPLATES: Record<MailLocale, TierTemplates> = { en, pl, ro, ru };
