import type { FastifyBaseLogger } from 'fastify';
import type { Bindings, ChildLoggerOptions } from 'pino';

type Level = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

/**
 * Each request's logger (`request.log`, `reply.log`), made on the first line it writes. Fastify makes every request a
 * child logger bound to its request id; pino redacts a child's bindings as it is made (D19's paths, every one of
 * them a wildcard), and at a storefront's event rate that cost more than the access line itself (about a tenth of
 * all the memory a signed event allocated). Most requests write no line of their own (the access line has its own
 * logger, access-log.ts), so most never make theirs. A line written through this one is the child's line: the same
 * bindings, the same redaction.
 */
export function lazyRequestLogger(parent: FastifyBaseLogger, bindings: Bindings, options: ChildLoggerOptions): FastifyBaseLogger {
  return new LazyChild(parent, bindings, options) as unknown as FastifyBaseLogger;
}

class LazyChild {
  #made: FastifyBaseLogger | null = null;

  constructor(
    private readonly parent: FastifyBaseLogger,
    private readonly childBindings: Bindings,
    private readonly options: ChildLoggerOptions,
  ) {}

  get level(): string {
    return this.#made?.level ?? this.options.level ?? this.parent.level;
  }

  set level(level: string) {
    this.made().level = level;
  }

  fatal(...line: unknown[]): void {
    this.write('fatal', line);
  }

  error(...line: unknown[]): void {
    this.write('error', line);
  }

  warn(...line: unknown[]): void {
    this.write('warn', line);
  }

  info(...line: unknown[]): void {
    this.write('info', line);
  }

  debug(...line: unknown[]): void {
    this.write('debug', line);
  }

  trace(...line: unknown[]): void {
    this.write('trace', line);
  }

  silent(): void {}

  child(bindings: Bindings, options?: ChildLoggerOptions): FastifyBaseLogger {
    return this.made().child(bindings, options);
  }

  private made(): FastifyBaseLogger {
    this.#made ??= this.parent.child(this.childBindings, this.options);
    return this.#made;
  }

  private write(level: Exclude<Level, 'silent'>, line: unknown[]): void {
    (this.made()[level] as (...args: unknown[]) => void)(...line);
  }
}
