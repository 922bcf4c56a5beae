import closeWithGrace from 'close-with-grace';
import type { Logger } from 'pino';
import { ConfigError } from './config.ts';

export interface Running {
  logger: Logger;
  graceMs: number;
  close(): Promise<void>;
}

/**
 * Runs a process's main: a bad configuration prints its list of problems and exits 1; SIGTERM and SIGINT close
 * everything gracefully within SHUTDOWN_GRACE_MS and exit 0.
 */
export async function runMain(name: string, start: () => Promise<Running>): Promise<void> {
  let running: Running;
  try {
    running = await start();
  } catch (error) {
    if (error instanceof ConfigError) console.error(`lojal ${name}: ${error.message}`);
    else console.error(`lojal ${name}: failed to start:`, error instanceof Error ? error.message : error);
    process.exit(1);
  }
  closeWithGrace({ delay: running.graceMs, logger: false }, async ({ signal, err }) => {
    if (err) running.logger.error({ err }, `${name} closing after an error`);
    else running.logger.info({ signal }, `${name} closing`);
    await running.close();
    running.logger.info(`${name} closed`);
    running.logger.flush();
  });
}
