/**
 * One Paperboy with the Discord adapter against a fake Discord and a fake Hugging Face, on a fresh
 * database: what every Discord adapter test starts from.
 * @module
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { startDiscord, type RunningDiscord } from '../../../src/adapters/discord/index.js';
import { createApp, type App } from '../../../src/app.js';
import { loadConfig, type Config } from '../../../src/config.js';
import { startFakeDiscord, type FakeDiscord, type FakeDiscordOptions } from '../../fakes/discord/index.js';
import { startFakeHf, type FakeHf, type FakeHfOptions } from '../../fakes/hf-server.js';
import { startFakeLlm, type FakeLlm } from '../../fakes/llm-server.js';

export interface Harness {
  fake: FakeDiscord;
  hf: FakeHf;
  /** Set when started with `llm: true`. */
  llm: FakeLlm | undefined;
  app: App;
  bot: RunningDiscord;
  config: Config;
  /** A database file that outlives the app, for restart tests. */
  databasePath: string;
  /** Stops the bot and closes the app, keeping the fakes and the database (a crash and restart). */
  restart(): Promise<void>;
  close(): Promise<void>;
}

export function testConfig(fake: Pick<FakeDiscord, 'token' | 'appId' | 'apiUrl'>, extra: Record<string, string> = {}): Config {
  return loadConfig({
    DATABASE_PATH: ':memory:',
    LOG_LEVEL: 'silent',
    DISCORD_TOKEN: fake.token,
    DISCORD_APP_ID: fake.appId,
    DISCORD_API_URL: fake.apiUrl,
    ARXIV_API_URL: 'http://127.0.0.1:9/api/query',
    // arXiv is unreachable here; its 3 s courtesy pause (shared by every client in the process) would only slow tests.
    ARXIV_MIN_INTERVAL_MS: '0',
    HTTP_RETRIES: '0',
    ...extra,
  });
}

export const silentLogger = () => pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });

export async function startHarness(options: { discord?: FakeDiscordOptions; hf?: FakeHfOptions; llm?: boolean; deferAfterMs?: number } = {}): Promise<Harness> {
  const fake = await startFakeDiscord(options.discord);
  const hf = await startFakeHf(options.hf);
  const llm = options.llm ? await startFakeLlm() : undefined;
  const dir = mkdtempSync(join(tmpdir(), 'paperboy-discord-'));
  const databasePath = join(dir, 'paperboy.db');
  const config = testConfig(fake, { DATABASE_PATH: databasePath, HF_API_URL: hf.url, ...(llm ? { LLM_BASE_URL: llm.url, LLM_MODEL: 'fake-model' } : {}) });
  const logger = silentLogger();
  const start = async () => {
    const app = createApp(config, logger);
    const bot = await startDiscord({ config, inbound: app.inbound, logger, loginTimeoutMs: 5000, deferAfterMs: options.deferAfterMs });
    return { app, bot };
  };
  let running = await start();
  const harness: Harness = {
    fake,
    hf,
    llm,
    config,
    databasePath,
    get app() {
      return running.app;
    },
    get bot() {
      return running.bot;
    },
    async restart() {
      await running.bot.stop();
      await running.app.close();
      running = await start();
    },
    async close() {
      await running.bot.stop();
      await running.app.close();
      await fake.close();
      await hf.close();
      await llm?.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return harness;
}
