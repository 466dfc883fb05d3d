/**
 * Structured logs with pino, to stderr so a terminal session's stdout holds only replies.
 * @module
 */
import { pino, type Logger } from 'pino';

export type { Logger };

export function createLogger(level: string): Logger {
  return pino({ level, base: undefined }, pino.destination({ fd: 2, sync: true }));
}
