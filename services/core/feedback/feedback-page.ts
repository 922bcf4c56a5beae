import { mailLocale } from '../mail/mail-locale.ts';
import { MESSAGES } from '../mail/mail-messages.ts';
import { escapeHtml } from '../mail/mail-render.ts';
import type { MailLocale } from '../mail/mail-types.ts';
import { FEEDBACK_COMMENT_MAX } from './feedback-rules.ts';

/** D14: the small pages of the e-mail's score links, in the member's language (fallback en). Pure. */

interface Note {
  title: string;
  body: string;
}

interface PageText {
  title: string;
  question: (shop: string) => string;
  order: (number: string) => string;
  comment: string;
  submit: string;
  recorded: Note;
  exists: Note;
  invalid: Note;
}

const TEXT: Record<MailLocale, PageText> = {
  en: {
    title: 'Your feedback',
    question: (shop) => `How likely are you to recommend ${shop} to a friend?`,
    order: (n) => `Order ${n}`,
    comment: 'Anything you would like to tell us? (optional)',
    submit: 'Send',
    recorded: { title: 'Thank you', body: 'Your feedback is recorded.' },
    exists: { title: 'Already recorded', body: 'Your feedback for this order was recorded before; the first answer is kept.' },
    invalid: { title: 'This link does not work', body: 'It may have been cut or altered. Please open it again from the e-mail.' },
  },
  pl: {
    title: 'Twoja opinia',
    question: (shop) => `Jak prawdopodobne jest, że polecisz ${shop} znajomym?`,
    order: (n) => `Zamówienie ${n}`,
    comment: 'Chcesz coś dodać? (opcjonalnie)',
    submit: 'Wyślij',
    recorded: { title: 'Dziękujemy', body: 'Twoja opinia została zapisana.' },
    exists: { title: 'Opinia już zapisana', body: 'Opinia o tym zamówieniu została zapisana wcześniej; zachowujemy pierwszą odpowiedź.' },
    invalid: { title: 'Ten link nie działa', body: 'Mógł zostać ucięty lub zmieniony. Otwórz go ponownie z wiadomości e-mail.' },
  },
  ro: {
    title: 'Părerea dumneavoastră',
    question: (shop) => `Cât de probabil este să recomandați ${shop} unui prieten?`,
    order: (n) => `Comanda ${n}`,
    comment: 'Doriți să ne spuneți ceva? (opțional)',
    submit: 'Trimite',
    recorded: { title: 'Vă mulțumim', body: 'Părerea dumneavoastră a fost înregistrată.' },
    exists: { title: 'Deja înregistrată', body: 'Părerea pentru această comandă a fost înregistrată deja; păstrăm primul răspuns.' },
    invalid: { title: 'Acest link nu funcționează', body: 'Este posibil să fi fost tăiat sau modificat. Deschideți-l din nou din e-mail.' },
  },
  ru: {
    title: 'Ваш отзыв',
    question: (shop) => `Насколько вероятно, что вы порекомендуете ${shop} друзьям?`,
    order: (n) => `Заказ ${n}`,
    comment: 'Хотите что-нибудь добавить? (необязательно)',
    submit: 'Отправить',
    recorded: { title: 'Спасибо', body: 'Ваш отзыв сохранён.' },
    exists: { title: 'Отзыв уже сохранён', body: 'Отзыв об этом заказе был сохранён раньше; мы сохраняем первый ответ.' },
    invalid: { title: 'Ссылка не работает', body: 'Возможно, она была обрезана или изменена. Откройте её снова из письма.' },
  },
};

export interface FeedbackForm {
  locale: string;
  shopName: string;
  orderNumber: string;
  /** The score of the link opened, chosen already; null: none chosen. */
  score: number | null;
  token: string;
  /** Where the form posts: PUBLIC_URL/v1/feedback. */
  action: string;
}

/** The page a score link opens: eleven choices with the link's score chosen, a comment box and a submit. */
export function feedbackFormPage(form: FeedbackForm): string {
  const lang = mailLocale(form.locale);
  const text = TEXT[lang];
  const { notLikely, veryLikely } = MESSAGES[lang].scores;
  const radios = Array.from({ length: 11 }, (_, n) =>
    `<label style="display:inline-block;margin:2px;text-align:center"><input type="radio" name="score" value="${n}"${n === form.score ? ' checked' : ''} required><br>${n}</label>`);
  return page(lang, text.title, [
    `<h1>${escapeHtml(text.question(form.shopName))}</h1>`,
    `<p>${escapeHtml(text.order(form.orderNumber))}</p>`,
    `<form method="post" action="${escapeHtml(form.action)}">`,
    `<input type="hidden" name="token" value="${escapeHtml(form.token)}">`,
    `<fieldset style="border:0;padding:0"><legend>${escapeHtml(`0 = ${notLikely}, 10 = ${veryLikely}`)}</legend>`,
    ...radios,
    '</fieldset>',
    `<p><label for="comment">${escapeHtml(text.comment)}</label><br>`,
    `<textarea id="comment" name="comment" rows="5" cols="50" maxlength="${FEEDBACK_COMMENT_MAX}"></textarea></p>`,
    `<p><button type="submit">${escapeHtml(text.submit)}</button></p>`,
    '</form>',
  ]);
}

/** The answer pages: recorded (thank you), recorded before (the first kept), or a link that does not work. */
export function feedbackNotePage(locale: string | null, note: 'recorded' | 'exists' | 'invalid'): string {
  const lang = mailLocale(locale);
  const { title, body } = TEXT[lang][note];
  return page(lang, title, [`<h1>${escapeHtml(title)}</h1>`, `<p>${escapeHtml(body)}</p>`]);
}

function page(lang: MailLocale, title: string, body: string[]): string {
  return [
    '<!DOCTYPE html>',
    `<html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">`,
    `<title>${escapeHtml(title)}</title></head>`,
    '<body style="font-family:sans-serif;line-height:1.5">',
    ...body,
    '</body></html>',
  ].join('\n');
}
