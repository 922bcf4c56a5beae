import pg from 'pg';
import { inject } from 'vitest';
import { TEST_ADMIN_URL, databaseUrl } from './env.ts';
import { RUN_PREFIX } from './test-runs.ts';

let counter = 0;
const created: string[] = [];

/** A fresh database for this test file, cloned from the run's migrated template; its name says whose run it is. */
export async function createTestDatabase(): Promise<string> {
  const name = `${RUN_PREFIX}${inject('runId')}_${process.pid.toString(36)}_${++counter}`;
  const admin = new pg.Client({ connectionString: TEST_ADMIN_URL });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${inject('templateDatabase')}`);
  } finally {
    await admin.end();
  }
  created.push(name);
  return databaseUrl(name);
}

/** Databases a test deliberately corrupts: the after-file ledger check leaves them out. */
export function excludeFromLedgerCheck(url: string): void {
  const name = new URL(url).pathname.slice(1);
  const at = created.indexOf(name);
  if (at >= 0) created.splice(at, 1);
}

export function createdDatabases(): readonly string[] {
  return created;
}
