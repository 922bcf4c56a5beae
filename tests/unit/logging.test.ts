import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../services/core/shared/logging.ts';

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { lines, logger: createLogger('info', 'test', stream) };
}

describe('log redaction', () => {
  it('never writes credentials or e-mail addresses', () => {
    const { lines, logger } = capture();
    logger.info(
      {
        req: { headers: { authorization: 'Bearer lj_sk_SECRETKEY', 'lojal-signature': 't=1,v1=SIGNATURE' } },
        created: { apiKey: 'lj_sk_SECRETKEY', webhookSecret: 'lj_whsec_SECRET' },
        member: { profile: { email: 'ana@example.com' } },
        email: 'bob@example.com',
      },
      'something happened',
    );
    const line = lines.join('');
    expect(line).toContain('something happened');
    for (const leaked of ['SECRETKEY', 'SIGNATURE', 'lj_whsec_SECRET', 'ana@example.com', 'bob@example.com']) {
      expect(line).not.toContain(leaked);
    }
    expect(line).toContain('[redacted]');
  });
});
