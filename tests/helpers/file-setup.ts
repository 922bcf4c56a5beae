import { afterAll, expect } from 'vitest';
import { checkLedger } from '../../services/core/ledger/ledger-check.ts';
import { createDatabase } from '../../services/db/client.ts';
import { createdDatabases } from './db.ts';
import { databaseUrl } from './env.ts';

// D13, after every test file: whatever the file did, every balance and lot in every database it made must be
// derivable from the entries. A difference fails the file.
afterAll(async () => {
  for (const name of createdDatabases()) {
    const database = createDatabase(databaseUrl(name), { max: 1 });
    try {
      const report = await checkLedger(database.db, null);
      expect(report.differences, `ledger check of ${name}`).toEqual([]);
    } finally {
      await database.close();
    }
  }
});
