/**
 * Stopping on SIGTERM and SIGINT: the first signal asks for a clean stop (finish the message in flight,
 * record it, close the platforms and the database) within a grace period; a second one exits at once.
 * @module
 */
import { constants } from 'node:os';
import type { Logger } from '../logger.js';

export interface StopSignals {
  /** Resolves with the first signal received. */
  received: Promise<NodeJS.Signals>;
  /** Stops listening (after a clean stop, or when the bot ends for another reason). */
  dispose(): void;
}

export interface StopSignalOptions {
  logger: Logger;
  /** How long a clean stop may take before the process exits anyway (default 10 s). */
  graceMs?: number;
  /** process.exit, replaceable in tests. */
  exit?: (code: number) => void;
}

const SIGNALS: readonly NodeJS.Signals[] = ['SIGTERM', 'SIGINT'];

export function listenForStop(options: StopSignalOptions): StopSignals {
  const { logger } = options;
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const graceMs = options.graceMs ?? 10_000;
  let first: NodeJS.Signals | undefined;
  let watchdog: NodeJS.Timeout | undefined;
  let resolve: (signal: NodeJS.Signals) => void = () => undefined;
  const received = new Promise<NodeJS.Signals>((r) => (resolve = r));

  const onSignal = (signal: NodeJS.Signals): void => {
    if (first) {
      logger.warn(`${signal} again: exiting now, without finishing the message in flight`);
      exit(128 + constants.signals[signal]);
      return;
    }
    first = signal;
    logger.info(`${signal}: stopping after the message in flight (again to exit at once)`);
    watchdog = setTimeout(() => {
      logger.error(`did not stop within ${Math.round(graceMs / 1000)} s of ${signal}: exiting`);
      exit(1);
    }, graceMs);
    watchdog.unref();
    resolve(signal);
  };
  for (const signal of SIGNALS) process.on(signal, onSignal);
  return {
    received,
    dispose() {
      for (const signal of SIGNALS) process.off(signal, onSignal);
      clearTimeout(watchdog);
    },
  };
}
