import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { promisify } from 'node:util';
import pg from 'pg';

const run = promisify(execFile);

/** Admin connection for benchmarks: the machine's PostgreSQL (the same one pgbench measures). */
export const BENCH_ADMIN_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export function urlFor(name: string): string {
  const url = new URL(BENCH_ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function recreateDatabase(name: string): Promise<string> {
  const admin = new pg.Client({ connectionString: BENCH_ADMIN_URL });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  return urlFor(name);
}

/** A copy of `template` under `name` (CREATE DATABASE … TEMPLATE): the same data for a second contender. */
export async function cloneDatabase(name: string, template: string): Promise<void> {
  const admin = new pg.Client({ connectionString: BENCH_ADMIN_URL });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
  } finally {
    await admin.end();
  }
}

export async function dropDatabase(name: string): Promise<void> {
  const admin = new pg.Client({ connectionString: BENCH_ADMIN_URL });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}

export interface PgbenchResult {
  mode: string;
  clients: number;
  seconds: number;
  tps: number;
  latencyMs: number;
}

/**
 * pgbench on the same server, in the same run: TPC-B-like (the baseline the targets are stated against). Numbers
 * on these 2-core machines are noisy, so every target is a ratio within one run.
 */
export async function pgbench(clients = 8, seconds = 10, extra: string[] = []): Promise<PgbenchResult> {
  const name = 'lojal_bench_pgbench';
  await recreateDatabase(name);
  const url = new URL(urlFor(name));
  const conn = ['-h', url.hostname, '-p', url.port || '5432', '-U', decodeURIComponent(url.username || 'postgres')];
  try {
    await run('pgbench', ['-i', '-q', '-s', '8', ...conn, name], { maxBuffer: 16 << 20 });
    const { stdout } = await run('pgbench', ['-c', String(clients), '-j', '2', '-T', String(seconds), ...extra, ...conn, name], {
      maxBuffer: 16 << 20,
    });
    const tps = Number(/tps = ([\d.]+)/.exec(stdout)?.[1]);
    const latencyMs = Number(/latency average = ([\d.]+) ms/.exec(stdout)?.[1]);
    if (!Number.isFinite(tps)) throw new Error(`pgbench printed no tps:\n${stdout}`);
    return { mode: extra.includes('-N') ? 'simple-update' : 'tpc-b', clients, seconds, tps: Math.round(tps), latencyMs };
  } finally {
    await dropDatabase(name);
  }
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

export function machine() {
  return { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? 'unknown', memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version };
}

export async function writeResults(name: string, results: unknown, summary: string): Promise<string> {
  const dir = new URL('./results/', import.meta.url);
  await mkdir(dir, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  await writeFile(new URL(`${name}-${stamp}.json`, dir), `${JSON.stringify(results, null, 2)}\n`);
  await writeFile(new URL(`${name}-latest.md`, dir), summary);
  return new URL(`${name}-latest.md`, dir).pathname;
}
