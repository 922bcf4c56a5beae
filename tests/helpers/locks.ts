import type pg from 'pg';

/**
 * Resolves once some backend of this database waits for a lock: a statement started concurrently has got as far
 * as queueing behind a row the test holds. Lets a test stage a race at a known point, with no hooks in the code.
 */
export async function someoneWaitsForALock(pool: pg.Pool): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const { rows } = await pool.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`);
    if (rows[0].n > 0) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error('nobody waited for a lock');
}

/**
 * Runs `work` in a transaction of its own on a pooled connection, standing for a locked command, then rolls it
 * back (nothing it did stays) and returns the connection clean whatever happened. Its deadlock_timeout is long:
 * in a lock cycle with the code under test, PostgreSQL's check fires first in the other backend (1 s), so the code
 * under test is always the side that is failed, however loaded the machine.
 */
export async function inLockerTransaction(pool: pg.Pool, work: (locker: pg.PoolClient) => Promise<void>): Promise<void> {
  const locker = await pool.connect();
  try {
    await locker.query('BEGIN');
    await locker.query(`SET LOCAL deadlock_timeout = '10s'`);
    await work(locker);
  } finally {
    await locker.query('ROLLBACK').catch(() => undefined);
    locker.release();
  }
}
