import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

// Guards the shape of services/: small files, small functions, no import cycles, each layer importing only what
// it may. Syntax only (no type checker, no Program), so the checks themselves take a fraction of a second.

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const MAX_FILE_LINES = 300;
const MAX_FUNCTION_LINES = 70;

/** Files outside the repositories that may import SQL anyway, each with its reason. Keep it empty: SQL is a repo's. */
const ALLOWED: { file: string; reason: string }[] = [
  {
    file: 'services/core/ledger/posting-types.ts',
    reason: 'types only: the rows a repository attaches to a posting are typed by the SQL fragments they return',
  },
];

/** One import, `file` and `target` as paths from the repo root ('services/...'); `target` only for relative ones. */
type Import = { file: string; line: number; specifier: string; target: string | null };

const rel = (absolute: string) => path.relative(ROOT, absolute).split(path.sep).join('/');
const lineOf = (sf: ts.SourceFile, pos: number) => sf.getLineAndCharacterOfPosition(pos).line + 1;
const isFile = (p: string) => existsSync(p) && statSync(p).isFile();
const isRepo = (file: string) => file.endsWith('-repo.ts');

/** As tsx finds it: as written, `.js` meaning `.ts`, `.ts` left off, or a directory's index.ts. A missing file
 * still resolves (to the path as written), so an import of a module not written yet is judged by its path. */
function resolve(from: string, specifier: string): string {
  const base = path.resolve(ROOT, path.dirname(from), specifier);
  return rel([base, base.replace(/\.js$/, '.ts'), `${base}.ts`, path.join(base, 'index.ts')].find(isFile) ?? base);
}

/** Every node of a file, depth first. */
function nodesOf(sf: ts.SourceFile): ts.Node[] {
  const nodes: ts.Node[] = [];
  const visit = (node: ts.Node): void => {
    nodes.push(node);
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return nodes;
}

/** The specifier of an import, a re-export, `import('...')` or `import('...').T`; type-only ones too, as in madge. */
function specifierOf(node: ts.Node): ts.Expression | undefined {
  if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) return node.moduleSpecifier;
  if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) return node.arguments[0];
  if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) return node.argument.literal;
  return undefined;
}

function importOf(file: string, sf: ts.SourceFile, node: ts.Node): Import[] {
  const literal = specifierOf(node);
  if (!literal || !ts.isStringLiteralLike(literal)) return [];
  const target = literal.text.startsWith('.') ? resolve(file, literal.text) : null;
  return [{ file, line: lineOf(sf, literal.getStart(sf)), specifier: literal.text, target }];
}

const isFunction = (node: ts.Node): node is ts.FunctionLikeDeclaration =>
  (ts.isFunctionDeclaration(node) || ts.isFunctionExpression(node) || ts.isArrowFunction(node) ||
    ts.isMethodDeclaration(node) || ts.isConstructorDeclaration(node) || ts.isAccessor(node)) && !!node.body;

/** A function's name as a developer would search for it, else what it is assigned or passed to. */
function nameOf(node: ts.FunctionLikeDeclaration, sf: ts.SourceFile): string {
  const { parent } = node;
  if (ts.isConstructorDeclaration(node)) return 'constructor';
  if (node.name) return node.name.getText(sf);
  if (ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent)) {
    return parent.name.getText(sf);
  }
  if (!ts.isCallExpression(parent)) return '(anonymous)';
  const callee = parent.expression; // `app.post`, or `….then` after a call or anything longer
  return `(callback to ${ts.isPropertyAccessExpression(callee) && !ts.isIdentifier(callee.expression)
    ? `…${callee.name.text}` : callee.getText(sf)})`;
}

/** Tarjan: the strongly connected components of the import graph. One with two or more files holds a cycle. */
function stronglyConnected(graph: Map<string, string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const components: string[][] = [];
  const connect = (v: string): void => {
    index.set(v, index.size);
    low.set(v, index.get(v)!);
    stack.push(v);
    for (const w of graph.get(v)!) {
      if (!index.has(w)) connect(w);
      if (stack.includes(w)) low.set(v, Math.min(low.get(v)!, low.get(w)!));
    }
    if (low.get(v) === index.get(v)) components.push(stack.splice(stack.indexOf(v)).sort());
  };
  for (const v of graph.keys()) if (!index.has(v)) connect(v);
  return components;
}

/** One failure listing every offender, so the developer sees all the work at once, not only the first item. */
function expectNone(offenders: string[], what: string) {
  expect(offenders.length, `${offenders.length} ${what}:\n  ${offenders.join('\n  ')}\n`).toBe(0);
}

const sources = (readdirSync(path.join(ROOT, 'services'), { recursive: true }) as string[])
  .filter((name) => name.endsWith('.ts'))
  .map((name) => rel(path.join(ROOT, 'services', name)))
  .sort()
  .map((file) => {
    const text = readFileSync(path.join(ROOT, file), 'utf8');
    const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
    const lines = text.split('\n').length - (text.endsWith('\n') ? 1 : 0); // as `wc -l` counts
    return { file, sf, lines, nodes: nodesOf(sf) };
  });
const imports = sources.flatMap(({ file, sf, nodes }) => nodes.flatMap((node) => importOf(file, sf, node)));
const describeImport = (i: Import) => `${i.file}:${i.line} imports ${i.specifier}`;

describe('the structure of services/', () => {
  it(`has no file over ${MAX_FILE_LINES} lines`, () => {
    const offenders = sources.filter((s) => s.lines > MAX_FILE_LINES).map((s) => `${s.file}:1 ${s.lines} lines`);
    expectNone(offenders, `files over ${MAX_FILE_LINES} lines`);
  });

  it(`has no function over ${MAX_FUNCTION_LINES} lines`, () => {
    const offenders = sources.flatMap(({ file, sf, nodes }) =>
      nodes.filter(isFunction).flatMap((node) => {
        const start = lineOf(sf, node.getStart(sf)); // getStart: from the signature, its JSDoc left out
        const length = lineOf(sf, node.getEnd()) - start + 1;
        return length > MAX_FUNCTION_LINES ? [`${file}:${start} ${nameOf(node, sf)} ${length} lines`] : [];
      }),
    );
    expectNone(offenders, `functions over ${MAX_FUNCTION_LINES} lines`);
  });

  it('has no import cycle', () => {
    const graph = new Map(sources.map(({ file }) => [file, [] as string[]]));
    for (const { file, target } of imports) if (target && graph.has(target)) graph.get(file)!.push(target);
    // Two or more files, or one that imports itself.
    const isCycle = (files: string[]) => files.length > 1 || graph.get(files[0]!)!.includes(files[0]!);
    const cycles = stronglyConnected(graph).filter(isCycle);
    // Each set, then the imports inside it: one of them has to go (or move) to break the cycle.
    const offenders = cycles.map((files) => {
      const inside = imports.filter((i) => files.includes(i.file) && files.includes(i.target ?? ''));
      return `${files.length} files: ${files.join(', ')}\n    ${inside.map(describeImport).join('\n    ')}`;
    });
    expectNone(offenders, 'import cycles (sets of files that import each other)');
  });

  it('keeps HTTP and queues out of core, and the database out of routes', () => {
    // A route is a schema, a service call and a view: it reaches the database only through a service.
    const offenders = imports.filter(({ file, specifier, target }) =>
      file.startsWith('services/core/')
        ? /^(fastify|fastify-plugin|bullmq)(\/|$)|^@fastify\//.test(specifier)
        : file.startsWith('services/api/routes/') && !!target && (target.startsWith('services/db/') || isRepo(target)),
    );
    expectNone(offenders.map(describeImport), 'imports across layers');
  });

  it('keeps SQL in services/db/ and the *-repo.ts files', () => {
    // db/client.ts, db/tx.ts and db/request-tx.ts hand out connections and transactions, not SQL: fine anywhere.
    const isSql = ({ specifier, target }: Import) =>
      /^drizzle-orm(\/|$)/.test(specifier) || /^services\/db\/(schema(\/|\.ts$)|sql\.ts$)/.test(target ?? '');
    const exempt = (file: string) =>
      file.startsWith('services/db/') || isRepo(file) || ALLOWED.some((allowed) => allowed.file === file);
    const offenders = imports.filter((i) => isSql(i) && !exempt(i.file));
    expectNone(offenders.map(describeImport), 'SQL imports outside the repositories');
  });

  it('keeps each table repository to its own table: only the statement composers join several', () => {
    // A table's SQL lives in its repository; a statement spanning tables is composed from their parts in one of
    // these two, so a table repository never reaches into another.
    const composers = ['services/core/ledger/posting-repo.ts', 'services/core/orders/order-event-repo.ts', 'services/core/orders/order-batch-repo.ts'];
    const offenders = imports.filter(({ file, target }) => isRepo(file) && !composers.includes(file) && !!target && isRepo(target));
    expectNone(offenders.map(describeImport), 'repositories importing another repository');
  });
});
