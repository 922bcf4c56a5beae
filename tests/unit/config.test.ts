import { describe, expect, it } from 'vitest';
import { CONFIG_VARIABLES, ConfigError, loadConfig } from '../../services/config.ts';

const valid = {
  DATABASE_URL: 'postgres://u:p@db:5432/lojal',
  LOJAL_ADMIN_TOKEN: 'a'.repeat(24),
  LOJAL_SECRET_KEY: 'ab'.repeat(32),
};

describe('loadConfig', () => {
  it('applies documented defaults', () => {
    const config = loadConfig(valid);
    expect(config).toMatchObject({
      redisUrl: 'redis://127.0.0.1:6379',
      port: 3000,
      host: '0.0.0.0',
      logLevel: 'info',
      bodyLimitBytes: 1_048_576,
      rateLimitPerMinute: 6000,
      authFailuresPerMinute: 30,
      queuePrefix: 'lojal',
    });
    expect(config.secretKey).toHaveLength(32);
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('mail (D17): no SMTP by default, MAIL_FROM and PUBLIC_URL checked, the URL without its trailing slash', () => {
    expect(loadConfig(valid)).toMatchObject({ smtpUrl: null, mailFrom: 'no-reply@localhost', publicUrl: 'http://localhost:3000' });
    const set = loadConfig({ ...valid, SMTP_URL: 'smtps://u:p@mail.example:465', MAIL_FROM: 'points@shop.example', PUBLIC_URL: 'https://l.example/' });
    expect(set).toMatchObject({ smtpUrl: 'smtps://u:p@mail.example:465', mailFrom: 'points@shop.example', publicUrl: 'https://l.example' });
    let error: unknown;
    try {
      loadConfig({ ...valid, SMTP_URL: 'http://mail.example', MAIL_FROM: 'Shop <points@shop.example>', PUBLIC_URL: 'ftp://x' });
    } catch (e) {
      error = e;
    }
    expect((error as ConfigError).problems).toEqual([
      'SMTP_URL must start with smtp:// or smtps://',
      'MAIL_FROM must be a bare address such as no-reply@example.com',
      'PUBLIC_URL must start with http:// or https://',
    ]);
  });

  it('webhooks to private addresses are refused unless WEBHOOK_ALLOW_PRIVATE=true; one expiry lane unless EXPIRY_LANES says more', () => {
    expect(loadConfig(valid)).toMatchObject({ webhookAllowPrivate: false, expiryLanes: 1 });
    expect(loadConfig({ ...valid, WEBHOOK_ALLOW_PRIVATE: 'TRUE', EXPIRY_LANES: '2' })).toMatchObject({ webhookAllowPrivate: true, expiryLanes: 2 });
    expect(() => loadConfig({ ...valid, WEBHOOK_ALLOW_PRIVATE: 'yes', EXPIRY_LANES: '0' })).toThrow(
      /WEBHOOK_ALLOW_PRIVATE must be true or false, got "yes"[\s\S]*EXPIRY_LANES must be a whole number from 1 to 8, got "0"|EXPIRY_LANES must be a whole number from 1 to 8, got "0"[\s\S]*WEBHOOK_ALLOW_PRIVATE must be true or false/,
    );
  });

  it('accepts a base64 secret key', () => {
    expect(loadConfig({ ...valid, LOJAL_SECRET_KEY: Buffer.alloc(32, 7).toString('base64') }).secretKey).toEqual(
      Buffer.alloc(32, 7),
    );
  });

  it('lists every problem at once', () => {
    let error: unknown;
    try {
      loadConfig({
        DATABASE_URL: 'mysql://x',
        PORT: 'eighty',
        LOJAL_ADMIN_TOKEN: 'short',
        LOJAL_SECRET_KEY: 'abcd',
        LOG_LEVEL: 'loud',
        REDIS_URL: 'http://cache',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems;
    expect(problems).toEqual([
      'DATABASE_URL must start with postgres:// or postgresql://',
      'REDIS_URL must start with redis:// or rediss://',
      'PORT must be a whole number from 0 to 65535, got "eighty"',
      'LOJAL_ADMIN_TOKEN must be at least 24 characters',
      'LOJAL_SECRET_KEY must be 32 bytes: 64 hex characters or 44 base64 characters',
      'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent',
    ]);
    expect((error as Error).message).toContain('  - PORT must be');
  });

  it('rate limits (D21): three budgets, each burst two seconds of its rate unless set', () => {
    expect(loadConfig(valid)).toMatchObject({
      rateLimitPerMinute: 6000,
      rateLimitBurst: 200,
      rateLimitCheckoutPerMinute: 12_000,
      rateLimitCheckoutBurst: 400,
      rateLimitAnonymousPerMinute: 1200,
      rateLimitAnonymousBurst: 40,
    });
    expect(loadConfig({ ...valid, RATE_LIMIT_PER_MINUTE: '600' })).toMatchObject({ rateLimitPerMinute: 600, rateLimitBurst: 20 });
    expect(loadConfig({ ...valid, RATE_LIMIT_PER_MINUTE: '20' })).toMatchObject({ rateLimitBurst: 1 });
    expect(loadConfig({ ...valid, RATE_LIMIT_PER_MINUTE: '600', RATE_LIMIT_BURST: '1000' })).toMatchObject({ rateLimitBurst: 1000 });
    expect(() => loadConfig({ ...valid, RATE_LIMIT_CHECKOUT_BURST: '0' })).toThrow(/RATE_LIMIT_CHECKOUT_BURST must be a whole number from 1/);
  });

  it('reads only the variables it documents: others are neither validated nor kept', () => {
    const documented = new Set<string>(CONFIG_VARIABLES.map(([name]) => name));
    // A variable the table does not name is not read: no value of it fails a start.
    for (const name of ['WEBHOOK_URL', 'SMTP_HOST', 'LOJAL_FUTURE']) expect(documented, name).not.toContain(name);
    const config = loadConfig({ ...valid, WEBHOOK_URL: 'not a url', SMTP_HOST: '', LOJAL_FUTURE: 'x' });
    expect(config).toEqual(loadConfig(valid));
  });

  it('requires what has no safe default', () => {
    expect(() => loadConfig({})).toThrow(/DATABASE_URL is required[\s\S]*LOJAL_ADMIN_TOKEN is required[\s\S]*LOJAL_SECRET_KEY is required/);
  });
});
