/**
 * Builds the running pieces from Config: database, upstream clients, core. main.ts, the sandbox and
 * end-to-end tests all start Paperboy through here.
 * @module
 */
import { ConfigError, type Config } from './config.js';
import { createInbound } from './commands/inbound.js';
import { Core } from './core/core.js';
import type { Inbound } from './core/inbound.js';
import { DatabaseOpenError, openDatabase, type Database } from './db/database.js';
import { createLogger, type Logger } from './logger.js';
import { ArxivClient } from './sources/arxiv.js';
import { HfClient } from './sources/hf.js';
import { LlmClient } from './sources/llm.js';

export interface App {
  config: Config;
  database: Database;
  core: Core;
  /** The one way in for adapters, the terminal and the CLI verbs. */
  inbound: Inbound;
  logger: Logger;
  /**
   * Cancels background work (fill-ins from a source still answering, requests to the language model)
   * instead of waiting for it, then closes the database. What was cancelled is marked missing on the
   * paper and asked for again at its next lookup.
   */
  close(): Promise<void>;
}

export function createApp(config: Config, logger: Logger = createLogger(config.logLevel, { format: config.logFormat })): App {
  const database = openConfiguredDatabase(config.databasePath);
  const hf = new HfClient({
    apiUrl: config.hf.apiUrl, token: config.hf.token, http: config.http,
    onSkippedEntry: (skipped) => logger.warn(skipped, 'Hugging Face daily list: a malformed entry was left out'),
  });
  const arxiv = new ArxivClient({ apiUrl: config.arxiv.apiUrl, minIntervalMs: config.arxiv.minIntervalMs, http: config.http });
  const llm = config.llm ? new LlmClient(config.llm, { retries: config.http.retries, maxRetryAfterMs: config.http.maxRetryAfterMs }) : undefined;
  const core = new Core({
    database, hf, arxiv, llm, logger, lookupBudgetMs: config.budgets.lookupMs, vectorSearchBudgetMs: config.budgets.vectorSearchMs,
    textConcurrency: config.llm?.concurrency, digestListBudgetMs: config.budgets.digestListMs,
    textBudgetMs: config.budgets.textMs,
  });
  const close = async () => {
    llm?.close();
    await core.papers.cancelBackground();
    database.close();
  };
  return { config, database, core, inbound: createInbound(core, logger), logger, close };
}

/** The database, or a ConfigError naming DATABASE_PATH and saying what is wrong with it. */
function openConfiguredDatabase(path: string): Database {
  try {
    return openDatabase(path);
  } catch (err) {
    if (!(err instanceof DatabaseOpenError)) throw err;
    throw new ConfigError(`DATABASE_PATH=${path}: ${err.reason}. Point DATABASE_PATH at a writable file.`);
  }
}
