// `--verbose`: structured debug logs on stderr. pino-pretty (synchronous, so lines interleave
// correctly with the rest of the output) on a terminal, JSON lines otherwise; silent without --verbose.
// pino-pretty loads only for that one case: every other run would pay its start-up time for nothing.
import pino, { type Logger } from 'pino';

export type { Logger };

export interface LoggerOptions {
  verbose: boolean;
  /** Defaults: stderr, pretty when it is a terminal. */
  fd?: number;
  pretty?: boolean;
  colorize?: boolean;
}

/** Request fields that may carry secrets (build-arg values) are never written. */
const REDACT = ['buildArgs', 'environmentVariablesOverride', '*.environmentVariablesOverride', 'env'];

export function createLogger(options: LoggerOptions): Logger {
  if (!options.verbose) return pino({ level: 'silent' });
  const fd = options.fd ?? 2;
  const base = { level: 'debug', base: { pid: process.pid }, redact: { paths: REDACT, remove: true } };
  if (options.pretty ?? Boolean(process.stderr.isTTY)) {
    const pretty: typeof import('pino-pretty') = require('pino-pretty');
    return pino(
      base,
      pretty({ sync: true, destination: fd, colorize: options.colorize ?? true, ignore: 'pid,hostname' }),
    );
  }
  return pino(base, pino.destination({ fd, sync: true }));
}
