/** `npm run bench -- <name>`: runs one benchmark (or all) and writes its results to bench/results/. */
import { benchEvents } from './events.ts';
import { benchExpiry } from './expiry.ts';
import { benchLedger } from './ledger.ts';
import { benchRedemptions } from './redemptions.ts';
import { benchTiers } from './tiers.ts';

const BENCHES: Record<string, () => Promise<void>> = { ledger: benchLedger, events: benchEvents, redemptions: benchRedemptions, expiry: benchExpiry, tiers: benchTiers };

const names = process.argv.slice(2).filter((a) => !a.startsWith('-'));
for (const name of names.length > 0 ? names : Object.keys(BENCHES)) {
  const bench = BENCHES[name];
  if (!bench) {
    console.error(`unknown benchmark "${name}"; known: ${Object.keys(BENCHES).join(', ')}`);
    process.exit(2);
  }
  await bench();
}
