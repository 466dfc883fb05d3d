/**
 * `paperboy start`: starts every adapter whose tokens are set (Discord and Slack side by side), or the
 * terminal when none is, then the scheduler; stops them cleanly on SIGINT and SIGTERM.
 * @module
 */
import type { Readable, Writable } from 'node:stream';
import cron from 'node-cron';
import { runShell } from './adapters/shell/index.js';
import { ShellPort } from './adapters/shell/port.js';
import type { App } from './app.js';
import type { ChatPort, RunningAdapter } from './core/chat-port.js';
import { Scheduler } from './core/digest/scheduler.js';
import { isPaperboyError, UpstreamError } from './errors.js';
import { cronLogger } from './logger.js';
import { HeartbeatWriter } from './ops/heartbeat.js';
import { listenForStop } from './ops/stop-signals.js';
import { SearchIndexing } from './core/papers/search-index/background.js';

export interface StartIo {
  stdin: Readable & { isTTY?: boolean };
  stdout: Writable;
}

/**
 * SQLite page cache of the running bot, KiB. openDatabase's larger cache pays off for bulk ingest and
 * search; a bot's own work is a few pages per vote, digest or lookup (misses come from the OS's file
 * cache), yet the cache fills to its cap over a day and stays resident.
 */
export const BOT_CACHE_KIB = 4096;

export async function startBot(app: App, io: StartIo): Promise<void> {
  app.database.sqlite.pragma(`cache_size = -${BOT_CACHE_KIB}`);
  // node-cron's own warnings (a missed run) go to our log instead of ANSI lines on stderr.
  cron.setLogger(cronLogger(app.logger));
  const signals = listenForStop({ logger: app.logger });
  const adapters: RunningAdapter[] = [];
  // Platform adapters register here: each starts only when its tokens are configured.
  if (app.config.slack) {
    // Loaded only when configured, like Discord below: Bolt and its HTTP stack cost memory.
    const { startConfiguredSlack } = await import('./adapters/slack/index.js');
    adapters.push(...(await startConfiguredSlack(app)));
  }
  if (app.config.discord) {
    try {
      // Loaded only when configured: discord.js costs memory and start-up time.
      const { startDiscord } = await import('./adapters/discord/index.js');
      adapters.push(await startDiscord({ config: app.config, inbound: app.inbound, logger: app.logger }));
    } catch (err) {
      // As for Slack: one line saying why, and the other platforms keep running.
      app.logger.error(isPaperboyError(err) ? err.message : `Discord did not start: ${String(err)}`);
    }
  }

  if (adapters.length === 0 && (app.config.slack || app.config.discord)) {
    // A server configured for a platform must not quietly turn into a terminal bot reading nothing.
    signals.dispose();
    throw new UpstreamError(app.config.slack ? 'slack' : 'discord', 'no chat platform could start (the line above says why); fix it and start again');
  }
  const shell = adapters.length === 0 ? new ShellPort(io.stdout) : undefined;
  const ports = new Map<string, ChatPort>([...adapters.map((a) => a.chat), ...(shell ? [shell] : [])].map((port) => [port.platform, port]));
  // The search indexes follow what others (an import, a backfill) store, without blocking a command.
  const indexing = new SearchIndexing({
    index: app.core.search.index, databasePath: app.config.databasePath, logger: app.logger,
    mergeFullText: () => app.core.papers.tidySearchIndexStep(),
  });
  const scheduler = new Scheduler({
    subscriptions: app.core.subscriptions, digests: app.core.digests, roundups: app.core.roundups, ledger: app.core.ledger,
    ports, logger: app.logger, maintenance: () => indexing.tidy(), catchUpWindowMs: app.config.digest.catchUpWindowMs,
  });
  scheduler.start();
  let schedulerRunning = true;
  const heartbeat = new HeartbeatWriter(app.database.sqlite, {
    adapters: () => [...adapters.map((a) => ({ platform: a.chat.platform, connected: a.connected?.() ?? true })), ...(shell ? [{ platform: 'terminal', connected: true }] : [])],
    schedulerRunning: () => schedulerRunning,
    scheduledTasks: () => scheduler.taskCount,
  }, { onError: (err) => app.logger.warn({ err }, 'heartbeat not written') });
  heartbeat.start();
  // At the signal, not when the terminal's line in flight ends: a /digest there stops after its current message too.
  void signals.received.then(() => scheduler.stop()).catch(() => undefined);
  // arXiv's categories and versions for papers Hugging Face listed, in the background.
  app.core.details?.start();
  indexing.start();
  try {
    if (shell) await runShellUntil(signals.received, { app, io, shell });
    else await signals.received;
  } finally {
    // Finish the message in flight and record it, then let go of the platforms.
    await Promise.all([scheduler.stop(), app.core.details?.stop(), indexing.stop()]);
    schedulerRunning = false;
    await Promise.allSettled(adapters.map((a) => a.stop()));
    heartbeat.stop();
    signals.dispose();
  }
}

/** The terminal session, until its input ends or a stop signal ends the input (the line in flight finishes). */
async function runShellUntil(signal: Promise<unknown>, { app, io, shell }: { app: App; io: StartIo; shell: ShellPort }): Promise<void> {
  // Ending the input stream (not destroying it) is what lets readline finish its loop.
  void signal.then(() => io.stdin.push(null));
  await runShell({ inbound: app.inbound, input: io.stdin, output: io.stdout, interactive: Boolean(io.stdin.isTTY), port: shell });
}
