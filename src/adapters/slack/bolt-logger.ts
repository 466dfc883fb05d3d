/**
 * Bolt and its clients log through the `@slack/logger` interface; this sends those lines to our pino
 * logger, under `component: 'slack'`, so there is one log stream with one level.
 * @module
 */
import { LogLevel, type Logger as BoltLogger } from '@slack/bolt';
import type { Logger } from '../../logger.js';

const LEVELS: Readonly<Record<string, LogLevel>> = {
  trace: LogLevel.DEBUG,
  debug: LogLevel.DEBUG,
  info: LogLevel.INFO,
  warn: LogLevel.WARN,
  error: LogLevel.ERROR,
  fatal: LogLevel.ERROR,
  silent: LogLevel.ERROR,
};

function line(parts: unknown[]): string {
  return parts.map((p) => (p instanceof Error ? p.message : typeof p === 'string' ? p : JSON.stringify(p))).join(' ');
}

/**
 * A Bolt-shaped logger writing to `logger`; its level follows pino's and Bolt cannot change it.
 * Bolt's errors are logged as warnings: they describe transport trouble the adapter reports itself,
 * in one line of its own, and our listeners catch their own failures.
 */
export function boltLogger(logger: Logger): BoltLogger {
  const child = logger.child({ component: 'slack' });
  return {
    debug: (...parts: unknown[]) => child.isLevelEnabled('debug') && child.debug(line(parts)),
    info: (...parts: unknown[]) => child.info(line(parts)),
    warn: (...parts: unknown[]) => child.warn(line(parts)),
    error: (...parts: unknown[]) => child.warn(line(parts)),
    setLevel: () => undefined,
    getLevel: () => LEVELS[child.level] ?? LogLevel.INFO,
    setName: () => undefined,
  };
}
