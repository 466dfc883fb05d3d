/**
 * Logs with pino, to stderr so a terminal session's stdout holds only replies: JSON lines for machines
 * (a log collector, a container), one readable line per event when stderr is a terminal. The libraries'
 * own messages (node-cron, Bolt, discord.js) are routed here too, so there is one stream with one level.
 * @module
 */
import { writeSync } from 'node:fs';
import { pino, type DestinationStream, type Logger } from 'pino';
import { formatLogLine } from './log-lines.js';

export type { Logger };

/** `auto`: readable lines when stderr is a terminal, JSON otherwise. */
export type LogFormat = 'auto' | 'pretty' | 'json';

export interface LoggerOptions {
  format?: LogFormat;
  /** Where lines go (stderr by default); tests pass their own. */
  write?: (line: string) => void;
  /** Is the output a terminal? (stderr's answer by default). */
  isTerminal?: boolean;
}

const toStderr = (line: string): void => {
  writeSync(2, line);
};

/**
 * A pino logger at `level`. The readable format is a small synchronous destination of our own rather
 * than pino-pretty: one line per event with only the fields that matter, no worker thread and no
 * dependencies in a long-running bot whose memory we measure.
 */
export function createLogger(level: string, options: LoggerOptions = {}): Logger {
  const write = options.write ?? toStderr;
  // isTTY is undefined, not false, when stderr is not a terminal.
  const terminal = options.isTerminal ?? process.stderr.isTTY;
  const pretty = options.format === 'pretty' || ((options.format ?? 'auto') === 'auto' && terminal);
  const stacks = level === 'debug' || level === 'trace';
  const destination: DestinationStream = pretty
    ? { write: (json: string) => write(formatLogLine(json, { stacks })) }
    : options.write
      ? { write }
      : pino.destination({ fd: 2, sync: true });
  return pino({ level, base: undefined }, destination);
}

/** The logger shape node-cron 4 accepts (`cron.setLogger`, or a task's `logger` option). */
export interface CronLogger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string | Error, err?: Error): void;
  debug(message: string | Error, err?: Error): void;
}

/** node-cron's messages (missed runs, failed tasks) as lines of `logger`, under `component: 'cron'`. */
export function cronLogger(logger: Logger): CronLogger {
  const child = logger.child({ component: 'cron' });
  const split = (message: string | Error, err?: Error): [Record<string, unknown>, string] => {
    const error = message instanceof Error ? message : err;
    return [error ? { err: error } : {}, message instanceof Error ? 'task failed' : message];
  };
  return {
    info: (message) => child.info(message),
    warn: (message) => child.warn(message),
    error: (message, err) => child.error(...split(message, err)),
    debug: (message, err) => child.debug(...split(message, err)),
  };
}
