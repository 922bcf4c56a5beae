import { Type, type TObject, type TProperties } from 'typebox';
import { Currency, Decimal } from '../../schemas.ts';

const Points = (description: string) => Type.Integer({ minimum: 0, maximum: 100_000_000, description });

const Expiry = Type.Object({
  policy: Type.Union([Type.Literal('none'), Type.Literal('afterMonths'), Type.Literal('endOfPeriod'), Type.Literal('inactivity')]),
  months: Type.Integer({ minimum: 0, maximum: 120 }),
  period: Type.Optional(Type.Union([Type.Literal('month'), Type.Literal('year')])),
});

const Redemption = Type.Object({
  pointValue: Type.Integer({ minimum: 1, maximum: 1_000_000, description: 'Money value of one point, minor units' }),
  minPoints: Points('Fewest points one redemption may use'),
  maxPercentOfOrder: Type.Integer({ minimum: 1, maximum: 100 }),
  holdMinutes: Type.Integer({ minimum: 1, maximum: 1440 }),
});

const Bonuses = Type.Object({
  signup: Points('Sign-up bonus'),
  birthday: Points('Birthday bonus, once a year'),
  review: Points('Per review'),
  referral: Points('To both sides of a referral'),
  feedback: Points('Per order feedback'),
});

// D17: an empty string means "not set"; the address and URL are checked here, so nothing unusable is stored.
const Mail = Type.Object({
  senderName: Type.String({ maxLength: 100, pattern: '^[^\\p{Cc}]*$', description: 'Display name of the messages\' From address; empty: the shop\'s name' }),
  replyTo: Type.Union([Type.Literal(''), Type.String({ format: 'email', maxLength: 254 })], { description: 'Reply-To address; empty: none' }),
  accountUrl: Type.Union([Type.Literal(''), Type.String({ format: 'uri', pattern: '^https?://', maxLength: 2000 })], {
    description: 'The member\'s account page in the shop, the call to action of every message; empty: none',
  }),
});

const programProperties = {
  currency: Currency,
  pointsPerUnit: Decimal(4, { minimum: 0, maximum: 10_000, description: 'Points per currency unit' }),
  awardOn: Type.Union([Type.Literal('paid'), Type.Literal('completed')]),
  pendingDays: Type.Integer({ minimum: 0, maximum: 365 }),
  includeShipping: Type.Boolean(),
  includeTax: Type.Boolean(),
  negativeBalance: Type.Union([Type.Literal('allow'), Type.Literal('writeoff')]),
  expiry: Expiry,
  remindDaysBefore: Type.Array(Type.Integer({ minimum: 1, maximum: 365 }), { maxItems: 5 }),
  redemption: Redemption,
  restoreGraceDays: Type.Integer({ minimum: 0, maximum: 365 }),
  guestAccrual: Type.Boolean(),
  bonuses: Bonuses,
  feedbackRequestDays: Type.Union([Type.Integer({ minimum: 1, maximum: 365 }), Type.Null()], {
    description: 'Days after an order completes that the member is asked how likely they are to recommend the shop; null: never',
  }),
  mail: Mail,
};

export const ProgramView = Type.Object(programProperties);

function partial<T extends TProperties>(object: TObject<T>) {
  return Type.Partial(object, { additionalProperties: false });
}

export const ProgramChanges = Type.Object(
  {
    ...Type.Partial(Type.Object(programProperties)).properties,
    expiry: Type.Optional(partial(Expiry)),
    redemption: Type.Optional(partial(Redemption)),
    bonuses: Type.Optional(partial(Bonuses)),
    mail: Type.Optional(partial(Mail)),
  },
  { additionalProperties: false },
);
