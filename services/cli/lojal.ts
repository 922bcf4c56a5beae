/**
 * The `lojal` command for operators: shops, imports of points, the ledger check (D13) and migrations.
 * It talks to PostgreSQL directly with the same services the API uses. With no DATABASE_URL it uses the embedded
 * PostgreSQL that `npm start` runs, and that run's local secrets.
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config.ts';
import { createContainer, type Container } from '../core/container.ts';
import { DomainError } from '../core/common/errors.ts';
import { IMPORT_MAX_LINES } from '../core/imports/import-rules.ts';
import type { ImportResult } from '../core/imports/import-types.ts';
import { createLogger, lineByLine } from '../core/common/logging.ts';
import { migrateDatabase } from '../db/migrate.ts';
import { fillLocalSecrets, readEmbeddedUrl } from '../dev-defaults.ts';

const USAGE = `usage:
  lojal shops create --name <name> --currency <ISO 4217> [--timezone <IANA zone>] [--json]
  lojal shops rotate <shopId> [--overlap-hours 24] [--json]
  lojal import --shop <shopId> --file <path.ndjson> [--json]
  lojal ledger check [--shop <shopId>] [--json]
  lojal db migrate`;

type Command = (container: Container, args: string[]) => Promise<void>;

const COMMANDS: Record<string, Command> = {
  'shops create': async (container, args) => {
    const { values } = parseArgs({
      args,
      options: { name: { type: 'string' }, currency: { type: 'string' }, timezone: { type: 'string' }, json: { type: 'boolean' } },
    });
    if (!values.name || !values.currency) throw new UsageError('--name and --currency are required');
    const created = await container.shops.createShop({
      name: values.name,
      currency: values.currency,
      ...(values.timezone ? { timezone: values.timezone } : {}),
    });
    if (values.json) return print(JSON.stringify(created, null, 2));
    print(`shop created: ${created.shop.id} (${created.shop.name}, ${created.shop.currency})`);
    print(`api key:        ${created.apiKey}`);
    print(`webhook secret: ${created.webhookSecret}`);
    print('Both are shown this once; Lojal keeps only a hash of the key and an encrypted copy of the secret.');
  },
  'shops rotate': async (container, args) => {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: { 'overlap-hours': { type: 'string' }, json: { type: 'boolean' } },
    });
    const shopId = positionals[0];
    if (!shopId) throw new UsageError('the shop id is required');
    const overlap = values['overlap-hours'] === undefined ? undefined : Number(values['overlap-hours']);
    if (overlap !== undefined && (!Number.isInteger(overlap) || overlap < 0)) {
      throw new UsageError('--overlap-hours must be a whole number of hours');
    }
    const rotated = await container.shops.rotateSecrets(shopId, overlap);
    if (values.json) return print(JSON.stringify(rotated, null, 2));
    print(`api key:        ${rotated.apiKey}`);
    print(`webhook secret: ${rotated.webhookSecret}`);
    print(`the previous key and secret stop working at ${rotated.previousExpireAt.toISOString()}`);
  },
  import: async (container, args) => {
    const { values } = parseArgs({ args, options: { shop: { type: 'string' }, file: { type: 'string' }, json: { type: 'boolean' } } });
    if (!values.shop || !values.file) throw new UsageError('--shop and --file are required');
    await container.shops.getShop(values.shop);
    const result = await importFile(container, values.shop, await readFile(values.file, 'utf8'));
    if (values.json) print(JSON.stringify(result, null, 2));
    else {
      print(`${result.applied} applied, ${result.duplicates} duplicates, ${result.membersCreated} members created, ${result.errors.length} errors`);
      for (const e of result.errors) print(`  line ${e.line}: ${e.code}: ${e.detail}`);
    }
    if (result.errors.length > 0) process.exitCode = 1;
  },
  'ledger check': async (container, args) => {
    const { values } = parseArgs({ args, options: { shop: { type: 'string' }, json: { type: 'boolean' } } });
    const report = await container.ledger.check(values.shop ?? null);
    if (values.json) print(JSON.stringify(report, null, 2));
    else {
      print(`${report.members} members checked: ${report.ok ? 'no differences' : `${report.differences.length} differences`}`);
      for (const d of report.differences) {
        print(`  ${d.shopId} ${d.customerId}${d.lotId ? ` ${d.lotId}` : ''}: ${d.check} expected ${d.expected}, stored ${d.actual}`);
      }
    }
    if (!report.ok) process.exitCode = 1;
  },
  'db migrate': async (container) => {
    await migrateDatabase(container.database);
    print('migrations applied');
  },
};

/**
 * A file of any length, as the API takes it: IMPORT_MAX_LINES lines (blank ones not counted) at a time, each part
 * numbered from its first line in the file. The entries name `operator` as their actor.
 */
async function importFile(container: Container, shopId: string, text: string): Promise<ImportResult> {
  const total: ImportResult = { applied: 0, duplicates: 0, membersCreated: 0, errors: [] };
  const lines = text.split('\n');
  for (let start = 0, end = 0; start < lines.length; start = end) {
    for (let present = 0; end < lines.length && (present < IMPORT_MAX_LINES || lines[end]!.trim() === ''); end++) {
      if (lines[end]!.trim() !== '') present++;
    }
    const done = await container.imports.importText(shopId, lines.slice(start, end).join('\n'), 'operator', { firstLine: start + 1 });
    total.applied += done.applied;
    total.duplicates += done.duplicates;
    total.membersCreated += done.membersCreated;
    total.errors.push(...done.errors);
  }
  return total;
}

class UsageError extends Error {}

function print(line: string): void {
  process.stdout.write(`${line}\n`);
}

async function main(argv: string[]): Promise<number> {
  const name = Object.hasOwn(COMMANDS, argv[0] ?? '') ? argv[0]! : argv.slice(0, 2).join(' ');
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!command) {
    process.stderr.write(`${USAGE}\n`);
    return argv.length === 0 || argv[0] === '--help' ? 0 : 2;
  }
  const env = { ...process.env };
  if (!env.DATABASE_URL?.trim()) {
    env.DATABASE_URL = readEmbeddedUrl(env);
    if (env.DATABASE_URL) fillLocalSecrets(env);
  }
  const config = loadConfig({ LOJAL_ADMIN_TOKEN: 'x'.repeat(24), ...env });
  const container = createContainer(config, { logger: createLogger('warn', 'cli', lineByLine()), applicationName: 'lojal-cli' });
  try {
    await command(container, argv.slice(name.split(' ').length));
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof UsageError) process.stderr.write(`lojal: ${error.message}\n${USAGE}\n`);
    else if (error instanceof DomainError) process.stderr.write(`lojal: ${error.code}: ${error.message}\n`);
    else throw error;
    return error instanceof UsageError ? 2 : 1;
  } finally {
    await container.close();
  }
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`lojal: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
