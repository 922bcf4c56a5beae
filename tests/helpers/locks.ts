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
