import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { CONFIG_VARIABLES } from '../../services/config.ts';

describe('README', () => {
  it('documents every configuration variable', async () => {
    const readme = await readFile(new URL('../../README.md', import.meta.url), 'utf8');
    for (const [name] of CONFIG_VARIABLES) expect(readme, name).toContain(`| \`${name}\` |`);
  });

  it('documents no variable that services/config.ts does not read', async () => {
    const readme = await readFile(new URL('../../README.md', import.meta.url), 'utf8');
    const section = readme.split(/^## Configuration$/m)[1]?.split(/^## /m)[0] ?? '';
    const rows = [...section.matchAll(/^\| `([A-Z][A-Z0-9_]*)` \|/gm)].map((m) => m[1]);
    expect(rows.sort()).toEqual(CONFIG_VARIABLES.map(([name]) => name).sort());
  });

  it('gives the two-command quick start', async () => {
    const readme = await readFile(new URL('../../README.md', import.meta.url), 'utf8');
    expect(readme).toContain('npm ci && npm start');
    expect(readme).toContain('npm test');
  });
});
