/**
 * `npm run openapi`: writes openapi.yaml from the TypeBox route schemas (the single source of the API description).
 * `--check` exits 1 when the committed file differs from what the server generates.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { generateOpenApiYaml } from './openapi-lib.ts';

const target = fileURLToPath(new URL('../openapi.yaml', import.meta.url));
const generated = await generateOpenApiYaml();
if (process.argv.includes('--check')) {
  const committed = await readFile(target, 'utf8').catch(() => '');
  if (committed !== generated) {
    console.error('openapi.yaml is out of date: run `npm run openapi` and commit the result');
    process.exit(1);
  }
  console.log('openapi.yaml is up to date');
} else {
  await writeFile(target, generated);
  console.log(`wrote ${target}`);
}
