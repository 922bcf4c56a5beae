import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newOrder } from '../../services/core/orders/order-rules.ts';
import {
  memberSnapshotStatement,
  postingStatement,
  redemptionSnapshotStatement,
} from '../../services/core/ledger/posting-repo.ts';
import type { Attachment, PostingWrite } from '../../services/core/ledger/posting-types.ts';
import type { Entry } from '../../services/core/ledger/ledger-types.ts';
import { openOrderEventStatement, orderEventRows } from '../../services/core/orders/order-event-repo.ts';
import { orderEventSnapshotsStatement, writeAwardsStatement } from '../../services/core/orders/order-batch-repo.ts';
import { committedRows, heldRows } from '../../services/core/redemptions/redemption-repo.ts';
import { build, type Fragment, type Statement } from '../../services/db/sql.ts';
import { createTestDatabase } from '../helpers/db.ts';

// Composed statements take a shape per set of parts, and each shape is a named statement that PostgreSQL parses
// and plans per connection. Every shape is prepared here against the migrated schema, so a part that only some
// postings use cannot hide a mistake until production meets it.

let client: pg.Client;

beforeAll(async () => {
  client = new pg.Client({ connectionString: await createTestDatabase() });
  await client.connect();
});
afterAll(() => client.end());

const at = new Date('2026-01-01T00:00:00Z');
/** A value that must only ever travel as a parameter. */
const SENTINEL = "x'); DROP TABLE lots; --";
const entry: Entry = {
  id: 'ent_1', memberId: 'mem_1', kind: 'earn', fromBucket: null, toBucket: 'pending', points: 10, actor: 'test',
  lotId: null, expiresAt: null, createdAt: at, metadata: { takes: [] }, reason: SENTINEL,
};
const member = { id: 'mem_1', version: 3, pending: 1, available: 2, held: 3, earned: 4, redeemed: 5, expired: 6, lastActivityAt: at };
const order = newOrder('shop_1', {
  id: 'o1', customer: { id: 'c1', email: null }, currency: 'PLN', exchangeRate: null, lines: [], subtotal: 0, discount: 0,
  shipping: 0, tax: 0, total: 0, pointsRedeemed: null, placedAt: at.toISOString(),
}, 'completed', at, at);
const event = { eventId: 'evt_1', type: 'order.completed', occurredAt: at, receivedAt: at };

const lists = (n: number) => Array.from({ length: n }, (_, i) => ({ lotId: `lot_${i}`, points: i + 1 }));
const attachments: Record<string, Attachment | undefined> = {
  none: undefined,
  hold: heldRows({ id: 'red_1', customerId: 'c1', cartId: null, points: 5, amount: 50, currency: 'PLN', expiresAt: at }),
  commit: committedRows('red_1', 'o1'),
  'order event, new order': orderEventRows(event, order, null),
  'order event, seen order': orderEventRows(event, order, 2),
};

/** Every posting shape: with or without a new lot, 0, 1 or many lot changes and movements, each attachment. */
function postingShapes(): [string, Fragment][] {
  const shapes: [string, Fragment][] = [];
  for (const newLot of [null, { id: 'lot_new', amount: 10, remaining: 10, expiresAt: null }]) {
    for (const changes of [0, 1, 2]) {
      for (const moves of [0, 1, 2]) {
        for (const [name, attachment] of Object.entries(attachments)) {
          const write: PostingWrite = { entry, newLot, lotChanges: lists(changes), movements: lists(moves), member };
          shapes.push([`posting lot=${!!newLot} changes=${changes} moves=${moves} ${name}`, postingStatement('shop_1', write, attachment)]);
        }
      }
    }
  }
  // A posting that creates its member (a new customer's sign-up bonus, orders/order-award-batch.ts).
  const profile = { email: SENTINEL, emailVerified: false, firstName: null, lastName: null, locale: 'en', birthday: null, marketingConsent: false, referredBy: null };
  const creating: PostingWrite = {
    entry, newLot: { id: 'lot_new', amount: 10, remaining: 10, expiresAt: null }, lotChanges: [], movements: lists(1),
    member: { ...member, version: 0, create: { customerId: 'c1', profile, at } },
  };
  shapes.push(['posting that creates its member', postingStatement('shop_1', creating)]);
  return shapes;
}

const reads: [string, Fragment][] = [
  ['member snapshot', memberSnapshotStatement('shop_1', 'c1', 32, false)],
  ['member snapshot, locked', memberSnapshotStatement('shop_1', 'c1', 32, true)],
  ['redemption snapshot', redemptionSnapshotStatement('shop_1', 'red_1', 32, false)],
  ['redemption snapshot, locked', redemptionSnapshotStatement('shop_1', 'red_1', 32, true)],
  ['order event snapshots', orderEventSnapshotsStatement([{ shopId: 'shop_1', eventId: SENTINEL, orderId: 'o1', customerId: 'c1' }])],
  ['award writes, known and new members', writeAwardsStatement([
    { shopId: 'shop_1', posting: { entry, newLot: null, lotChanges: [], movements: [], member }, event, order, newMember: null },
    { shopId: 'shop_1', posting: { entry, newLot: null, lotChanges: [], movements: [], member: { ...member, version: 0 } }, event, order,
      newMember: { customerId: 'c2', profile: { email: SENTINEL, emailVerified: false, firstName: null, lastName: null, locale: 'en', birthday: null, marketingConsent: false, referredBy: null } } },
  ])],
  ['order event opening', openOrderEventStatement('shop_1', { ...event, eventId: SENTINEL }, order)],
];

/** PREPARE parses and analyses the text against the schema (tables, columns, types) without running it. */
async function prepare(statement: Statement): Promise<void> {
  await client.query(`PREPARE ${statement.name} AS ${statement.text}`);
  await client.query(`DEALLOCATE ${statement.name}`);
}

describe('every composed statement', () => {
  const all = [...postingShapes(), ...reads];

  it.each(all)('prepares against the schema: %s', async (_, fragment) => {
    const statement = build(fragment);
    await prepare(statement);
    expect(statement.text).not.toContain('DROP TABLE');
  });

  it('has one name per distinct text, and a distinct text per shape', () => {
    const statements = all.map(([, fragment]) => build(fragment));
    const texts = new Set(statements.map((s) => s.text));
    const names = new Set(statements.map((s) => s.name));
    expect(texts.size).toBe(all.length);
    expect(names.size).toBe(texts.size);
  });
});
