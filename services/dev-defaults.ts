import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

type Env = Record<string, string | undefined>;

/** Where `npm start` keeps what it made for a machine with nothing configured (git-ignored). */
export function dataDir(env: Env): string {
  return path.resolve(env.LOJAL_DATA_DIR ?? '.lojal');
}

/**
 * Where `npm start` run as root keeps the embedded PostgreSQL's programs and cluster when the `postgres` user it
 * runs them as cannot reach node_modules or the data folder (a clone in a private home): see db/embedded-place.ts.
 */
export function sharedDir(env: Env): string {
  return path.resolve(env.LOJAL_SHARED_DIR ?? '/var/lib/lojal');
}

/**
 * Fills in the operator token and the secret key for a local run when the environment has none, generating
 * each once and keeping it in the data folder so restarts and the CLI agree. Returns the names it filled in.
 */
export function fillLocalSecrets(env: Env): string[] {
  const dir = dataDir(env);
  const filled: string[] = [];
  const fill = (name: string, file: string, make: () => string) => {
    if (env[name]?.trim()) return;
    const target = path.join(dir, file);
    if (!existsSync(target)) {
      mkdirSync(dir, { recursive: true });
      writeFileSync(target, `${make()}\n`, { mode: 0o600 });
    }
    env[name] = readFileSync(target, 'utf8').trim();
    filled.push(name);
  };
  fill('LOJAL_ADMIN_TOKEN', 'admin-token', () => randomBytes(24).toString('base64url'));
  fill('LOJAL_SECRET_KEY', 'secret-key', () => randomBytes(32).toString('hex'));
  return filled;
}

/** The DATABASE_URL that `npm start` wrote for its embedded PostgreSQL, for the CLI to find it. */
export function embeddedUrlFile(env: Env): string {
  return path.join(dataDir(env), 'database-url');
}

export function readEmbeddedUrl(env: Env): string | undefined {
  const file = embeddedUrlFile(env);
  return existsSync(file) ? readFileSync(file, 'utf8').trim() : undefined;
}
