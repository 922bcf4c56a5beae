import type { Forms } from './mail-locale.ts';
import { TIER_TEMPLATES } from './mail-messages-tiers.ts';
import type { MailLocale, MailTemplate, TemplateText, Values } from './mail-types.ts';

export interface Messages {
  points: Forms;
  days: Forms;
  greeting: (name: string | null) => string;
  balance: (v: Values) => string;
  cta: string;
  unsubscribe: string;
  /** D14: the ends of the feedback request's row of scores, and what its plain text calls a score. */
  scores: { notLikely: string; veryLikely: string; score: string };
  templates: Record<MailTemplate, TemplateText>;
  unsubscribed: { title: string; body: string };
}

// Sentences are built so that no verb or adjective has to agree with the number (Polish and Russian verbs would
// take three forms), except where the language's form is the same for every number (ro "expiră", pl "wymieniono").
const en: Messages = {
  points: { one: '# point', other: '# points' },
  days: { one: '# day', other: '# days' },
  greeting: (name) => (name ? `Hello ${name},` : 'Hello,'),
  balance: (v) => `Your balance: ${v.balance}.`,
  cta: 'See your points',
  unsubscribe: 'Rather not get these e-mails? Unsubscribe',
  scores: { notLikely: 'Not likely', veryLikely: 'Very likely', score: 'Score' },
  templates: {
    pointsEarned: {
      subject: (v) => `You earned ${v.points}`,
      lines: (v) => [`Thank you for your order at ${v.shop}: you earned ${v.points}.`],
    },
    pointsMatured: {
      subject: (v) => `${v.points} now available`,
      lines: (v) => [`${v.points} from your orders at ${v.shop} can now be spent.`],
    },
    pointsExpiring: {
      subject: (v) => `${v.points} will expire in ${v.days}`,
      lines: (v) => [`${v.points} of your balance at ${v.shop} will expire on ${v.date}.`, 'Spend them before then.'],
    },
    redemptionReceipt: {
      subject: (v) => `You redeemed ${v.points}`,
      lines: (v) => [`You redeemed ${v.points} at ${v.shop} for a discount of ${v.money}.`],
    },
    feedbackRequest: {
      subject: (v) => `How likely are you to recommend ${v.shop}?`,
      lines: (v) => [
        `Thank you for your order ${v.order} at ${v.shop}.`,
        `How likely are you to recommend ${v.shop} to a friend? Choose a score from 0 (not likely) to 10 (very likely).`,
      ],
    },
    ...TIER_TEMPLATES.en,
  },
  unsubscribed: { title: 'You are unsubscribed', body: 'We will not send you marketing e-mails any more.' },
};

const pl: Messages = {
  points: { one: '# punkt', few: '# punkty', many: '# punktów', other: '# punktu' },
  days: { one: '# dzień', few: '# dni', many: '# dni', other: '# dnia' },
  greeting: (name) => (name ? `Dzień dobry ${name},` : 'Dzień dobry,'),
  balance: (v) => `Twoje saldo: ${v.balance}.`,
  cta: 'Zobacz swoje punkty',
  unsubscribe: 'Nie chcesz otrzymywać tych wiadomości? Wypisz się',
  scores: { notLikely: 'Mało prawdopodobne', veryLikely: 'Bardzo prawdopodobne', score: 'Ocena' },
  templates: {
    pointsEarned: {
      subject: (v) => `Nowe punkty: ${v.points}`,
      lines: (v) => [`Dziękujemy za zamówienie w ${v.shop}. Przyznane punkty: ${v.points}.`],
    },
    pointsMatured: {
      subject: (v) => `Punkty do wykorzystania: ${v.points}`,
      lines: (v) => [`Punkty za zamówienia w ${v.shop} są już dostępne: ${v.points}.`],
    },
    pointsExpiring: {
      subject: (v) => `Punkty wygasają za ${v.days}: ${v.points}`,
      lines: (v) => [`Dnia ${v.date} wygasa część Twoich punktów w ${v.shop}: ${v.points}.`, 'Wykorzystaj je wcześniej.'],
    },
    redemptionReceipt: {
      subject: (v) => `Wymieniono ${v.points}`,
      lines: (v) => [`Wymieniono ${v.points} w ${v.shop} na rabat ${v.money}.`],
    },
    feedbackRequest: {
      subject: (v) => `Czy polecisz ${v.shop}?`,
      lines: (v) => [
        `Dziękujemy za zamówienie ${v.order} w ${v.shop}.`,
        `Jak prawdopodobne jest, że polecisz ${v.shop} znajomym? Wybierz ocenę od 0 (mało prawdopodobne) do 10 (bardzo prawdopodobne).`,
      ],
    },
    ...TIER_TEMPLATES.pl,
  },
  unsubscribed: { title: 'Wypisano z listy', body: 'Nie będziemy już wysyłać Ci wiadomości marketingowych.' },
};

const ro: Messages = {
  points: { one: '# punct', few: '# puncte', other: '# de puncte' },
  days: { one: '# zi', few: '# zile', other: '# de zile' },
  greeting: (name) => (name ? `Bună ziua, ${name},` : 'Bună ziua,'),
  balance: (v) => `Soldul dumneavoastră: ${v.balance}.`,
  cta: 'Vedeți punctele',
  unsubscribe: 'Nu mai doriți aceste e-mailuri? Dezabonare',
  scores: { notLikely: 'Puțin probabil', veryLikely: 'Foarte probabil', score: 'Nota' },
  templates: {
    pointsEarned: {
      subject: (v) => `Ați primit ${v.points}`,
      lines: (v) => [`Vă mulțumim pentru comanda de la ${v.shop}: ați primit ${v.points}.`],
    },
    pointsMatured: {
      subject: (v) => `Puncte disponibile: ${v.points}`,
      lines: (v) => [`Punctele din comenzile de la ${v.shop} pot fi folosite acum: ${v.points}.`],
    },
    pointsExpiring: {
      subject: (v) => `Puncte care expiră în ${v.days}: ${v.points}`,
      lines: (v) => [`Pe ${v.date} expiră ${v.points} din soldul de la ${v.shop}.`, 'Folosiți-le până atunci.'],
    },
    redemptionReceipt: {
      subject: (v) => `Ați folosit ${v.points}`,
      lines: (v) => [`Ați folosit ${v.points} la ${v.shop} pentru o reducere de ${v.money}.`],
    },
    feedbackRequest: {
      subject: (v) => `Cât de probabil este să recomandați ${v.shop}?`,
      lines: (v) => [
        `Vă mulțumim pentru comanda ${v.order} de la ${v.shop}.`,
        `Cât de probabil este să recomandați ${v.shop} unui prieten? Alegeți o notă de la 0 (puțin probabil) la 10 (foarte probabil).`,
      ],
    },
    ...TIER_TEMPLATES.ro,
  },
  unsubscribed: { title: 'V-ați dezabonat', body: 'Nu vă vom mai trimite mesaje de marketing.' },
};

const ru: Messages = {
  points: { one: '# балл', few: '# балла', many: '# баллов', other: '# балла' },
  days: { one: '# день', few: '# дня', many: '# дней', other: '# дня' },
  greeting: (name) => (name ? `Здравствуйте, ${name}!` : 'Здравствуйте!'),
  balance: (v) => `Ваш баланс: ${v.balance}.`,
  cta: 'Посмотреть баллы',
  unsubscribe: 'Не хотите получать эти письма? Отписаться',
  scores: { notLikely: 'Маловероятно', veryLikely: 'Очень вероятно', score: 'Оценка' },
  templates: {
    pointsEarned: {
      subject: (v) => `Начисленные баллы: ${v.points}`,
      lines: (v) => [`Спасибо за заказ в ${v.shop}! Начисленные баллы: ${v.points}.`],
    },
    pointsMatured: {
      subject: (v) => `Баллы доступны: ${v.points}`,
      lines: (v) => [`Баллы за заказы в ${v.shop} теперь можно потратить: ${v.points}.`],
    },
    pointsExpiring: {
      subject: (v) => `Баллы сгорают через ${v.days}: ${v.points}`,
      lines: (v) => [`${v.date} сгорит часть ваших баллов в ${v.shop}: ${v.points}.`, 'Потратьте их до этого срока.'],
    },
    redemptionReceipt: {
      subject: (v) => `Вы потратили ${v.points}`,
      lines: (v) => [`Вы потратили ${v.points} в ${v.shop} на скидку ${v.money}.`],
    },
    feedbackRequest: {
      subject: (v) => `Насколько вероятно, что вы порекомендуете ${v.shop}?`,
      lines: (v) => [
        `Спасибо за заказ ${v.order} в ${v.shop}!`,
        `Насколько вероятно, что вы порекомендуете ${v.shop} друзьям? Выберите оценку от 0 (маловероятно) до 10 (очень вероятно).`,
      ],
    },
    ...TIER_TEMPLATES.ru,
  },
  unsubscribed: { title: 'Вы отписались', body: 'Мы больше не будем присылать вам рекламные письма.' },
};

export const MESSAGES: Record<MailLocale, Messages> = { en, pl, ro, ru };
