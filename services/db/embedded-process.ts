import { spawn, type ChildProcess } from 'node:child_process';
import type { Readable } from 'node:stream';

/**
 * A failure to start the embedded PostgreSQL, told in one line: what failed and what to do. `npm start` prints the
 * message alone, so a newcomer never gets a stack trace for a port in use or a folder out of reach.
 */
export class EmbeddedStartError extends Error {
  constructor(message: string) {
    super(message.replace(/\s*\n\s*/g, ' ').trim());
    this.name = 'EmbeddedStartError';
  }
}

/** The unprivileged user PostgreSQL runs as when Lojal runs as root (PostgreSQL refuses to run as root). */
export interface RunAs {
  name: string;
  uid: number;
  gid: number;
}

export const OWN_DATABASE = 'or set DATABASE_URL to a PostgreSQL of your own';

const READY = 'database system is ready to accept connections';
const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 15_000;

/**
 * Starts a PostgreSQL program as `runAs` (or as this process's user). It gets no variable from this process's
 * environment but the path and time zone: the `postgres` user may read its processes' environments, and Lojal's
 * holds secrets. Messages are in English (`C`) because this file reads them.
 */
export function spawnProgram(file: string, args: string[], runAs: RunAs | null): ChildProcess {
  const env: NodeJS.ProcessEnv = { LC_ALL: 'C' };
  for (const name of ['PATH', 'TZ', 'SYSTEMROOT']) if (process.env[name]) env[name] = process.env[name];
  // cwd '/': this process's directory may be one the `postgres` user cannot enter.
  const ids = runAs ? { uid: runAs.uid, gid: runAs.gid } : {};
  return spawn(file, args, { cwd: '/', env, stdio: ['ignore', 'ignore', 'pipe'], windowsHide: true, ...ids });
}

/** Runs a program to its end: its exit code (null when it could not run at all) and the last lines it printed. */
export function runProgram(file: string, args: string[], runAs: RunAs | null): Promise<{ code: number | null; lines: string[]; error?: string }> {
  return new Promise((resolve) => {
    const child = spawnProgram(file, args, runAs);
    const lines: string[] = [];
    readLines(child.stderr, (line) => keepLast(lines, line));
    child.once('error', (error: NodeJS.ErrnoException) => resolve({ code: null, lines, error: error.code ?? error.message }));
    child.once('close', (code) => resolve({ code, lines }));
  });
}

export interface InitdbOptions {
  initdb: string;
  clusterDir: string;
  user: string;
  passwordFile: string;
  runAs: RunAs | null;
}

/** Creates the cluster: UTF-8 whatever the shell's locale, password (SCRAM) authentication for `user`. */
export async function runInitdb(options: InitdbOptions): Promise<void> {
  const { code, lines, error } = await runProgram(
    options.initdb,
    [
      `--pgdata=${options.clusterDir}`,
      `--username=${options.user}`,
      `--pwfile=${options.passwordFile}`,
      '--auth=scram-sha-256',
      '--encoding=UTF8',
      '--no-locale',
    ],
    options.runAs,
  );
  if (code === 0) return;
  const reason = error ? cannotRun(options.initdb, error, options.runAs) : initdbReason(lines);
  throw new EmbeddedStartError(
    `could not create the embedded PostgreSQL cluster in ${options.clusterDir}: ${reason}; fix that, ${OWN_DATABASE}`,
  );
}

export interface RunningServer {
  stop(): Promise<void>;
}

export interface ServerOptions {
  postgres: string;
  clusterDir: string;
  port: number;
  runAs: RunAs | null;
  log?: (message: string) => void;
}

/** Starts the server and resolves once it accepts connections; a server that stops first rejects with why. */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const child = spawnProgram(
    options.postgres,
    // TCP on localhost only: no socket file in a shared /tmp or /var/run.
    ['-D', options.clusterDir, '-p', String(options.port)].concat(
      ['listen_addresses=127.0.0.1', 'unix_socket_directories=', 'lc_messages=C'].flatMap((setting) => ['-c', setting]),
    ),
    options.runAs,
  );
  // Should this process end without closing, the server still shuts down rather than holding the port and folder.
  const onExit = () => child.kill('SIGINT');
  process.once('exit', onExit);
  const lines: string[] = [];
  let ready = false;
  let stopping = false;
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill('SIGQUIT');
        reject(new EmbeddedStartError(`embedded PostgreSQL in ${options.clusterDir} was not ready after ${START_TIMEOUT_MS / 1000} s: ${serverReason(lines)}; ${OWN_DATABASE}`));
      }, START_TIMEOUT_MS);
      readLines(child.stderr, (line) => {
        keepLast(lines, line);
        if (!ready && line.includes(READY)) {
          ready = true;
          clearTimeout(timer);
          resolve();
        }
      });
      child.once('error', (error: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        reject(new EmbeddedStartError(`embedded PostgreSQL did not start: ${cannotRun(options.postgres, error.code ?? error.message, options.runAs)}; ${OWN_DATABASE}`));
      });
      child.once('close', (code, signal) => {
        clearTimeout(timer);
        if (!ready) reject(new EmbeddedStartError(explainServerFailure(lines, options)));
        else if (!stopping) options.log?.(`embedded PostgreSQL stopped (${signal ?? `exit ${code}`}): ${serverReason(lines)}`);
      });
    });
  } catch (error) {
    process.removeListener('exit', onExit);
    throw error;
  }
  return {
    stop: async () => {
      stopping = true;
      process.removeListener('exit', onExit);
      await stopChild(child);
    },
  };
}

/** Fast shutdown (SIGINT: sessions end, the data is consistent); immediate shutdown if that takes too long. */
async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGINT');
  const timer = setTimeout(() => child.kill('SIGQUIT'), STOP_TIMEOUT_MS);
  await exited;
  clearTimeout(timer);
}

function explainServerFailure(lines: string[], options: ServerOptions): string {
  const all = lines.join('\n');
  if (/Address already in use/i.test(all)) {
    return `embedded PostgreSQL could not listen on 127.0.0.1:${options.port}, the port is in use: set EMBEDDED_PG_PORT to a free port, ${OWN_DATABASE}`;
  }
  const pid = /lock file "postmaster\.pid" already exists[\s\S]*?PID (\d+)/.exec(all)?.[1];
  if (pid) {
    return `embedded PostgreSQL of ${options.clusterDir} is already running (PID ${pid}): stop the other npm start that uses this data folder, or set LOJAL_DATA_DIR to another folder`;
  }
  return `embedded PostgreSQL in ${options.clusterDir} did not start: ${serverReason(lines)}; fix that, ${OWN_DATABASE}`;
}

/** PostgreSQL's own words: its FATAL/PANIC lines with their DETAIL and HINT, else its last line. */
function serverReason(lines: string[]): string {
  const told = lines.flatMap((line) => {
    const match = /\b(?:FATAL|PANIC|DETAIL|HINT):\s+(.*)$/.exec(line);
    return match ? [match[1]!] : [];
  });
  return clip(told.length > 0 ? told.join('; ') : (lines.filter((l) => !/\bLOG:/.test(l)).at(-1) ?? 'no message'));
}

function initdbReason(lines: string[]): string {
  const told = lines.flatMap((line) => {
    const match = /^initdb: (?:error|detail|hint): (.*)$/.exec(line);
    return match ? [match[1]!] : [];
  });
  return clip(told.length > 0 ? told.join('; ') : (lines.at(-1) ?? 'no message'));
}

function cannotRun(file: string, code: string, runAs: RunAs | null): string {
  return `cannot run ${file}${runAs ? ` as the ${runAs.name} user` : ''} (${code})`;
}

function clip(text: string): string {
  return text.length > 400 ? `${text.slice(0, 400)}…` : text;
}

function keepLast(lines: string[], line: string): void {
  if (line.trim() === '') return;
  lines.push(line);
  if (lines.length > 40) lines.shift();
}

function readLines(stream: Readable | null, onLine: (line: string) => void): void {
  let rest = '';
  stream?.setEncoding('utf8');
  stream?.on('data', (chunk: string) => {
    const parts = (rest + chunk).split('\n');
    rest = parts.pop() ?? '';
    for (const part of parts) onLine(part);
  });
  stream?.on('end', () => {
    if (rest) onLine(rest);
  });
}
