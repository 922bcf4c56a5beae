import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileMo } from './gettext-mo.ts';
import { zip, type ZipEntry } from './zip-writer.ts';

// npm run plugins:build: packs each shop plugin from plugins/ into dist/ (git-ignored).
// OpenCart: plugins/opencart/upload/* becomes dist/lojal.ocmod.zip, install.json at its root, as the Extension
// Installer wants it (it unpacks the archive into extension/lojal/).
// WooCommerce: plugins/woocommerce/lojal/ becomes dist/lojal-woocommerce.zip with the folder lojal/ at its root,
// as WordPress's "Upload plugin" and `wp plugin install` want it; each languages/*.po is compiled to its .mo
// here (scripts/gettext-mo.ts, no GNU gettext needed), so the repository holds no binary.

const ROOT = fileURLToPath(new URL('../', import.meta.url));

/** Every file under dir, as archive paths relative to it, sorted so a build is reproducible. */
export function filesUnder(dir: string, prefix = ''): string[] {
  return readdirSync(dir).sort().flatMap((name) => {
    const full = path.join(dir, name);
    const rel = prefix + name;
    return statSync(full).isDirectory() ? filesUnder(full, `${rel}/`) : [rel];
  });
}

export function buildOpenCart(outDir = path.join(ROOT, 'dist')): string {
  const source = path.join(ROOT, 'plugins/opencart/upload');
  const entries: ZipEntry[] = filesUnder(source).map((name) => ({ name, data: readFileSync(path.join(source, name)) }));
  if (!entries.some((e) => e.name === 'install.json')) throw new Error('plugins/opencart/upload/install.json is missing');
  mkdirSync(outDir, { recursive: true });
  const target = path.join(outDir, 'lojal.ocmod.zip');
  writeFileSync(target, zip(entries));
  return target;
}

export function buildWooCommerce(outDir = path.join(ROOT, 'dist')): string {
  const source = path.join(ROOT, 'plugins/woocommerce/lojal');
  const entries: ZipEntry[] = [];
  for (const name of filesUnder(source)) {
    const data = readFileSync(path.join(source, name));
    entries.push({ name: `lojal/${name}`, data });
    if (name.startsWith('languages/') && name.endsWith('.po')) {
      entries.push({ name: `lojal/${name.replace(/\.po$/, '.mo')}`, data: compileMo(data.toString('utf8')) });
    }
  }
  if (!entries.some((e) => e.name === 'lojal/lojal.php')) throw new Error('plugins/woocommerce/lojal/lojal.php is missing');
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  mkdirSync(outDir, { recursive: true });
  const target = path.join(outDir, 'lojal-woocommerce.zip');
  writeFileSync(target, zip(entries));
  return target;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  console.log(buildOpenCart());
  console.log(buildWooCommerce());
}
