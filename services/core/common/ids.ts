import { randomFillSync } from 'node:crypto';

const CROCKFORD = '0123456789abcdefghjkmnpqrstvwxyz';
const RANDOM_BYTES = 10;

// Random bytes drawn from the CSPRNG a few kilobytes at a time (as Node's randomUUID does): one call per ~400 ids
// instead of one per id, on the hot path of every posting.
const pool = Buffer.alloc(4096);
let offset = pool.length;

function randomChunk(): Buffer {
  if (offset + RANDOM_BYTES > pool.length) {
    randomFillSync(pool);
    offset = 0;
  }
  offset += RANDOM_BYTES;
  return pool.subarray(offset - RANDOM_BYTES, offset);
}

/** The longest id a shop gives (customers, orders, lines, refunds, carts, events, import references). */
export const EXTERNAL_ID_MAX_LENGTH = 128;

/**
 * An id a shop gives is not blank and holds no control character (U+0000 cannot even be stored). It is compared
 * exactly as sent: nothing is trimmed, so `" c1"` and `"c1"` are two ids. A pattern for the `u` flag (as Ajv uses).
 */
export const EXTERNAL_ID_PATTERN = '^(?!\\s*$)[^\\p{Cc}]+$';

const ID_BODY = `[${CROCKFORD}]{26}`;

/** Whether `value` has the shape of an id `newId(prefix)` gives out (it may still name nothing). */
export function isId(prefix: string, value: string): boolean {
  return new RegExp(`^${prefix}_${ID_BODY}$`).test(value);
}

/**
 * A prefixed, time-ordered id (`shop_01j...`): 48 bits of milliseconds then 80 random bits, Crockford base32.
 * Ordered by creation, so ids double as stable pagination cursors.
 */
export function newId(prefix: string, nowMs: number = Date.now()): string {
  let out = '';
  let time = nowMs;
  for (let i = 0; i < 10; i++) {
    out = CROCKFORD[time % 32] + out;
    time = Math.floor(time / 32);
  }
  const random = randomChunk();
  let bits = 0;
  let value = 0;
  for (const byte of random) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += CROCKFORD[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    value &= (1 << bits) - 1;
  }
  return `${prefix}_${out}`;
}
