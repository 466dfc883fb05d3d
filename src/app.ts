/**
 * Builds the running pieces from Config: database, upstream clients, core. main.ts, the sandbox and
 * end-to-end tests all start Paperboy through here.
 * @module
 */
import type { Config } from './config.js';
import { createInbound } from './commands/inbound.js';
import { Core } from './core/core.js';
import type { Inbound } from './core/inbound.js';
import { openDatabase, type Database } from './db/database.js';
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
  /** Waits for background work (arXiv fill-ins) to finish, then closes the database. */
  close(): Promise<void>;
}

export function createApp(config: Config, logger: Logger = createLogger(config.logLevel)): App {
  const database = openDatabase(config.databasePath);
  const hf = new HfClient({ apiUrl: config.hf.apiUrl, token: config.hf.token, http: config.http });
  const arxiv = new ArxivClient({ apiUrl: config.arxiv.apiUrl, minIntervalMs: config.arxiv.minIntervalMs, http: config.http });
  const llm = config.llm ? new LlmClient(config.llm) : undefined;
  const core = new Core({ database, hf, arxiv, llm, logger });
  const close = async () => {
    await core.papers.settled();
    database.close();
  };
  return { config, database, core, inbound: createInbound(core, logger), logger, close };
}
