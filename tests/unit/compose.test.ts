import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CONFIG_VARIABLES, loadConfig } from '../../services/config.ts';

// Docker cannot run on the project's machines: docker-compose.yml and the Dockerfile are kept correct by reading,
// and checked here for the facts the rest of the project relies on.

type Service = Record<string, unknown>;
type Port = { target: string; published: string | null };

const root = new URL('../../', import.meta.url);
const composeText = readFileSync(new URL('docker-compose.yml', root), 'utf8');
const compose = parse(composeText) as { services?: Record<string, Service> } & Record<string, unknown>;
const services = compose.services ?? {};
const configNames = new Set<string>(CONFIG_VARIABLES.map(([name]) => name));

function service(name: string): Service {
  const found = services[name];
  if (!found) throw new Error(`docker-compose.yml has no service "${name}"`);
  return found;
}

/** `environment:` as a map or as a list of NAME=value. */
function environment(name: string): Record<string, string> {
  const env = service(name).environment;
  if (env === undefined || env === null) return {};
  if (Array.isArray(env)) {
    return Object.fromEntries(
      env.map((entry) => {
        const text = String(entry);
        const eq = text.indexOf('=');
        return eq === -1 ? [text, ''] : [text.slice(0, eq), text.slice(eq + 1)];
      }),
    );
  }
  return Object.fromEntries(Object.entries(env as Record<string, unknown>).map(([k, v]) => [k, v === null ? '' : String(v)]));
}

/** `ports:` in the short ("8025:8025", "127.0.0.1:3000:3000/tcp") or the long syntax. */
function ports(name: string): Port[] {
  const list = (service(name).ports ?? []) as unknown[];
  return list.map((entry) => {
    if (typeof entry === 'object' && entry !== null) {
      const long = entry as { target?: unknown; published?: unknown };
      return { target: String(long.target), published: long.published === undefined ? null : String(long.published) };
    }
    const parts = String(entry).replace(/\/(tcp|udp)$/, '').split(':');
    const target = parts.pop() ?? '';
    return { target, published: parts.length > 0 ? (parts.pop() ?? null) : null };
  });
}

function exposed(name: string): string[] {
  return ((service(name).expose ?? []) as unknown[]).map((port) => String(port).replace(/\/(tcp|udp)$/, ''));
}

function dependsOn(name: string): Record<string, { condition?: string }> {
  const deps = service(name).depends_on;
  if (Array.isArray(deps)) return Object.fromEntries(deps.map((d) => [String(d), {}]));
  return (deps ?? {}) as Record<string, { condition?: string }>;
}

function command(name: string): string {
  const cmd = service(name).command;
  return Array.isArray(cmd) ? cmd.join(' ') : String(cmd ?? '');
}

/** Resolves compose interpolation the way `docker compose` would, given these host variables. */
function interpolate(value: string, host: Record<string, string>): string {
  return value.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}/g, (_m, name: string, op?: string, arg?: string) => {
    const set = host[name];
    if (op?.endsWith('?')) {
      if (!set) throw new Error(`required variable ${name} is missing: ${arg}`);
      return set;
    }
    if (op?.endsWith('-')) return set || (arg ?? '');
    return set ?? '';
  });
}

describe('docker-compose.yml', () => {
  it('is a Compose file without the obsolete version key', () => {
    expect(compose).toBeTypeOf('object');
    expect(compose).not.toHaveProperty('version');
  });

  it('has postgres, redis, api, worker and mailpit', () => {
    expect(Object.keys(services).sort()).toEqual(expect.arrayContaining(['api', 'mailpit', 'postgres', 'redis', 'worker']));
  });

  it.each(['postgres', 'redis', 'api', 'worker', 'mailpit'])('%s has a healthcheck', (name) => {
    const healthcheck = service(name).healthcheck as { test?: unknown; disable?: boolean } | undefined;
    expect(healthcheck, name).toBeDefined();
    expect(healthcheck?.disable).not.toBe(true);
    const test = healthcheck?.test;
    expect(Array.isArray(test) ? test.length : String(test ?? '').length).toBeGreaterThan(0);
    if (Array.isArray(test)) {
      expect(['CMD', 'CMD-SHELL']).toContain(test[0]);
      expect(test.length).toBeGreaterThan(1);
    }
  });

  it('checks the services the way each one can answer', () => {
    expect(JSON.stringify(service('postgres').healthcheck)).toContain('pg_isready');
    expect(JSON.stringify(service('redis').healthcheck)).toContain('ping');
    expect(JSON.stringify(service('api').healthcheck)).toContain('/readyz');
  });

  it('publishes the API on 3000 and the Mailpit UI on 8025, and exposes SMTP on 1025', () => {
    expect(ports('api')).toContainEqual({ target: '3000', published: '3000' });
    expect(ports('mailpit')).toContainEqual({ target: '8025', published: '8025' });
    const smtp = [...exposed('mailpit'), ...ports('mailpit').map((p) => p.target)];
    expect(smtp).toContain('1025');
  });

  it('keeps the database in a named volume', () => {
    const volumes = (service('postgres').volumes ?? []) as unknown[];
    const named = volumes.map((v) => String(typeof v === 'object' && v ? (v as { source?: string }).source : String(v).split(':')[0]));
    expect(named.some((source) => Object.keys((compose.volumes ?? {}) as object).includes(source))).toBe(true);
  });

  it.each(['api', 'worker'])('%s reaches postgres and redis by their service names', (name) => {
    const env = environment(name);
    const postgres = environment('postgres');
    const database = new URL(env.DATABASE_URL ?? 'missing:');
    expect(database.protocol).toMatch(/^postgres(ql)?:$/);
    expect(database.hostname).toBe('postgres');
    expect(database.port || '5432').toBe('5432');
    expect(decodeURIComponent(database.username)).toBe(postgres.POSTGRES_USER);
    expect(decodeURIComponent(database.password)).toBe(postgres.POSTGRES_PASSWORD);
    expect(database.pathname).toBe(`/${postgres.POSTGRES_DB}`);

    const redis = new URL(env.REDIS_URL ?? 'missing:');
    expect(redis.protocol).toBe('redis:');
    expect(redis.hostname).toBe('redis');
    expect(redis.port || '6379').toBe('6379');
  });

  it.each(['api', 'worker'])('%s takes its secrets from the host and refuses to start without them', (name) => {
    const env = environment(name);
    expect(env.LOJAL_ADMIN_TOKEN).toMatch(/^\$\{LOJAL_ADMIN_TOKEN:\?[^}]+\}$/);
    expect(env.LOJAL_SECRET_KEY).toMatch(/^\$\{LOJAL_SECRET_KEY:\?[^}]+\}$/);
    expect(() => interpolate(env.LOJAL_ADMIN_TOKEN ?? '', {})).toThrow(/LOJAL_ADMIN_TOKEN/);
  });

  it.each(['api', 'worker'])('gives %s only variables that services/config.ts reads', (name) => {
    const names = Object.keys(environment(name));
    expect(names.length).toBeGreaterThan(0);
    for (const variable of names) expect(configNames, `${name}: ${variable}`).toContain(variable);
  });

  it.each(['api', 'worker'])('gives %s an environment that loadConfig accepts', (name) => {
    const host = { LOJAL_ADMIN_TOKEN: 'a'.repeat(32), LOJAL_SECRET_KEY: 'ab'.repeat(32) };
    const env = Object.fromEntries(Object.entries(environment(name)).map(([k, v]) => [k, interpolate(v, host)]));
    const config = loadConfig(env);
    expect(config.databaseUrl).toContain('@postgres:');
    expect(config.redisUrl).toBe('redis://redis:6379');
  });

  it('runs the API and the worker from the one image, each with its own entry point', () => {
    const api = service('api');
    const worker = service('worker');
    expect(api.build).toBeDefined();
    // Either both build the same context, or the worker uses the image the api builds.
    const sameBuild = worker.build !== undefined && JSON.stringify(worker.build) === JSON.stringify(api.build);
    const sameImage = worker.image !== undefined && worker.image === api.image;
    expect(sameBuild || sameImage).toBe(true);
    expect(command('api')).toBe('node --import tsx services/api/server.ts');
    expect(command('worker')).toBe('node --import tsx services/worker/main.ts');
  });

  it('starts the API once PostgreSQL and Redis are healthy, and the worker once the API has migrated', () => {
    const api = dependsOn('api');
    expect(api.postgres?.condition).toBe('service_healthy');
    expect(api.redis?.condition).toBe('service_healthy');
    expect(dependsOn('worker').api?.condition).toBe('service_healthy');
  });
});

describe('Dockerfile', () => {
  const path = new URL('Dockerfile', root);
  const text = existsSync(path) ? readFileSync(path, 'utf8') : '';
  // Instructions one per line, continuation lines joined, comments dropped.
  const instructions = text
    .replace(/\\\r?\n/g, ' ')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'));
  const of = (keyword: string) => instructions.filter((line) => line.toUpperCase().startsWith(`${keyword} `));

  it('exists', () => {
    expect(existsSync(path)).toBe(true);
  });

  it('builds on Node 20 and installs only the production dependencies from the lock file', () => {
    expect(of('FROM').at(-1)).toMatch(/^FROM node:20-bookworm-slim\b/i);
    expect(of('RUN').join('\n')).toMatch(/npm ci --omit=dev/);
  });

  it('copies what the processes need at run time', () => {
    const copied = of('COPY').join('\n');
    for (const part of ['package.json', 'package-lock.json', 'services/', 'migrations/', 'bin/', 'tsconfig.json']) {
      expect(copied, part).toContain(part);
    }
  });

  it('runs as a non-root user', () => {
    const user = of('USER').at(-1)?.split(/\s+/)[1];
    expect(user).toBeDefined();
    expect(['root', '0', '0:0', 'root:root']).not.toContain(user);
  });

  it('starts the API by default and checks its health', () => {
    expect(of('CMD').at(-1)).toContain('services/api/server.ts');
    expect(of('EXPOSE').join(' ')).toMatch(/\b3000\b/);
    expect(of('HEALTHCHECK').at(-1)).toContain('/healthz');
  });
});
