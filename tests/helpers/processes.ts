import { spawn, type ChildProcess } from 'node:child_process';
import { chmod, mkdtemp } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { RUN_PREFIX } from './test-runs.ts';

export const ROOT = new URL('../../', import.meta.url).pathname;

/** A port nothing listens on right now, from the kernel. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command to its end, with a time limit. */
export function run(command: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs = 60_000, cwd = ROOT): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${command} ${args.join(' ')} timed out\n${stdout}\n${stderr}`));
    }, timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Polls a URL until it answers 200, or fails after `timeoutMs` with what the process printed. */
export async function waitForOk(url: string, child: ChildProcess, output: () => string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`process exited with ${child.exitCode}:\n${output()}`);
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} not ready after ${timeoutMs} ms:\n${output()}`);
}

/** The environment of this process minus Lojal's own variables, so a child starts from defaults. */
export function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (!/^(DATABASE_URL|REDIS_URL|PORT|HOST|LOJAL_|SMTP_URL|LOG_LEVEL|QUEUE_PREFIX|VITEST|TEST_)/.test(k)) env[k] = v;
  }
  return { ...env, ...extra };
}

export interface Started {
  child: ChildProcess;
  /** Everything it printed so far, stdout and stderr. */
  output(): string;
  /** Its exit code, once every line it printed has been read. */
  exited: Promise<number | null>;
}

/** `npm start` in `cwd`, running on in the background. */
export function npmStart(cwd: string, env: NodeJS.ProcessEnv): Started {
  const child = spawn('npm', ['start', '--silent'], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (c) => (output += c));
  child.stderr.on('data', (c) => (output += c));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

/**
 * A LOJAL_SHARED_DIR of this run's own: root's `npm start` copies PostgreSQL there when the `postgres` user cannot
 * reach this clone (one in /root), so no run leaves anything in /var/lib/lojal or meets another run's copy.
 */
export async function sharedTempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'lojal-shared-'));
  await chmod(dir, 0o755); // as /var/lib/lojal: the `postgres` user passes through, only root writes
  return dir;
}

/**
 * Queue prefixes for the processes a test file starts, each this run's own (clearing one cannot touch another
 * run's keys on the same Redis), and the clean-up that removes their keys afterwards.
 */
export function runQueues(runId: string) {
  const prefixes: string[] = [];
  return {
    prefix(name: string): string {
      const prefix = `${RUN_PREFIX}${runId}_${name}`;
      prefixes.push(prefix);
      return prefix;
    },
    async clear(redisUrl: string): Promise<void> {
      const redis = new Redis(redisUrl);
      try {
        for (const prefix of prefixes) {
          for await (const keys of redis.scanStream({ match: `${prefix}:*`, count: 500 })) {
            if ((keys as string[]).length > 0) await redis.del(...(keys as string[]));
          }
        }
      } finally {
        redis.disconnect();
      }
    },
  };
}
