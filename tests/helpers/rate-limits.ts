import type { LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';

/** D21: every 429 is problem+json `rate_limited` with a whole number of seconds in Retry-After, at least 1. */
export function expectEveryRefusalWellFormed(responses: LightMyRequestResponse[]): void {
  for (const r of responses.filter((x) => x.statusCode === 429)) {
    expect(r.headers['content-type']).toContain('application/problem+json');
    expect(r.json()).toMatchObject({ status: 429, code: 'rate_limited' });
    expect(r.headers['retry-after']).toMatch(/^[1-9]\d*$/);
  }
}
