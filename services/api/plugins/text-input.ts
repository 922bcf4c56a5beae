import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { validationFailed, type FieldError } from '../../core/common/errors.ts';

// U+0000, or half of a UTF-16 surrogate pair without its other half (with the `u` flag a whole pair is one code
// point and does not match).
const UNSTORABLE = /\u0000|[\uD800-\uDFFF]/u;
const MESSAGE = 'must not contain U+0000 or an unpaired surrogate (text PostgreSQL cannot store)';

/** Deeper than any payload Lojal reads (an event's line categories sit at depth 7); deeper would overflow stacks. */
export const MAX_DEPTH = 64;

/** Enough to show what is wrong; a body of a million bad strings does not get a million-line answer. */
const MAX_ERRORS = 20;

/**
 * Every string of a request that PostgreSQL could not store, as field errors: U+0000 (text and jsonb refuse it)
 * and unpaired surrogates (jsonb refuses them; text would store U+FFFD instead, changing the value). Property names
 * count too, and so do fields no schema names (a storefront event is stored whole), and so does nesting deeper
 * than MAX_DEPTH (serialising it for jsonb would overflow the stack). Fields are JSON Pointers under `prefix`, in
 * document order, as validation errors name them. Iterative, so no body can overflow the stack here either.
 */
export function unstorableText(value: unknown, prefix: string): FieldError[] {
  return anyUnstorable(value) ? describeUnstorable(value, prefix) : [];
}

/**
 * The same walk without a path or an object built per node: every storefront event goes through it, and this is
 * about 2 µs for an order, where naming the fields costs 30 times as much, needed only when something is wrong.
 */
function anyUnstorable(value: unknown): boolean {
  const nodes: unknown[] = [value];
  const depths: number[] = [0];
  while (nodes.length > 0) {
    const node = nodes.pop();
    const depth = depths.pop()!;
    if (typeof node === 'string') {
      if (UNSTORABLE.test(node)) return true;
    } else if (node !== null && typeof node === 'object') {
      if (depth === MAX_DEPTH) return true;
      if (Array.isArray(node)) {
        for (let i = 0; i < node.length; i++) {
          nodes.push(node[i]);
          depths.push(depth + 1);
        }
        continue;
      }
      const object = node as Record<string, unknown>;
      // for…in rather than Object.entries: no array per object (parsed JSON has no inherited enumerable keys).
      for (const key in object) {
        if (UNSTORABLE.test(key)) return true;
        nodes.push(object[key]);
        depths.push(depth + 1);
      }
    }
  }
  return false;
}

function describeUnstorable(value: unknown, prefix: string): FieldError[] {
  const errors: FieldError[] = [];
  const stack: { node: unknown; path: string; depth: number; name?: string }[] = [{ node: value, path: prefix, depth: 0 }];
  while (stack.length > 0 && errors.length < MAX_ERRORS) {
    const { node, path, depth, name } = stack.pop()!;
    if (name !== undefined && UNSTORABLE.test(name)) errors.push({ field: path, message: `the name ${MESSAGE}` });
    if (typeof node === 'string') {
      if (UNSTORABLE.test(node)) errors.push({ field: path || '/', message: MESSAGE });
    } else if (node !== null && typeof node === 'object' && depth === MAX_DEPTH) {
      errors.push({ field: path || '/', message: `must not nest deeper than ${MAX_DEPTH} levels` });
    } else if (node !== null && typeof node === 'object') {
      const children = Array.isArray(node) ? node.map((item, i) => [String(i), item] as const) : Object.entries(node);
      // Pushed last to first, so they come off the stack in document order.
      for (let i = children.length - 1; i >= 0; i--) {
        const [key, item] = children[i]!;
        const child = { node: item, path: `${path}/${key.replaceAll('~', '~0').replaceAll('/', '~1')}`, depth: depth + 1 };
        stack.push(Array.isArray(node) ? child : { ...child, name: key });
      }
    }
  }
  return errors;
}

/**
 * One check for the whole API, after parsing (so a storefront event's signature is checked first) and before
 * validation and every handler: a request carrying what PostgreSQL cannot store is 400 validation_failed, naming
 * each field, and nothing is written (without it the database, or serialising for it, fails and the answer is a 500).
 */
export const textInputPlugin = fp(
  async (app: FastifyInstance) => {
    app.addHook('preValidation', async (request) => {
      if (request.is404) return; // an unknown route is 404 whatever it carries
      const errors = [
        ...unstorableText(request.params, 'params'),
        ...unstorableText(request.query, 'query'),
        ...unstorableText(request.body, ''),
      ];
      if (errors.length > 0) throw validationFailed(errors);
    });
  },
  { name: 'lojal-text-input' },
);
