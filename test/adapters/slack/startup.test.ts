import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SlackStartError, startConfiguredSlack, startSlack } from '../../../src/adapters/slack/index.js';
import { createApp, type App } from '../../../src/app.js';
import { loadConfig } from '../../../src/config.js';
import { startFakeSlack, type FakeSlack } from '../../fakes/slack/web-api.js';

let slack: FakeSlack;
let apps: App[];
const lines: string[] = [];
const logger = pino({ level: 'info', base: undefined }, new Writable({ write: (chunk: Buffer, _enc, done) => (lines.push(String(chunk)), done()) }));

function appWith(env: Record<string, string>): App {
  const config = loadConfig({ DATABASE_PATH: ':memory:', HTTP_RETRIES: '0', HTTP_TIMEOUT_MS: '1000', SLACK_API_URL: slack.apiUrl, ...env });
  const app = createApp(config, logger);
  apps.push(app);
  return app;
}

async function failure(app: App, extra: { port?: number } = {}): Promise<Error> {
  const result = await startSlack({ config: app.config, inbound: app.inbound, logger, listen: { port: extra.port ?? 0, host: '127.0.0.1' }, connectTimeoutMs: 3000 }).then(
    async (running) => {
      await running.stop();
      throw new Error('expected start-up to fail');
    },
    (err: unknown) => err,
  );
  expect(result).toBeInstanceOf(SlackStartError);
  const message = (result as Error).message;
  expect(message).not.toContain('\n');
  return result as Error;
}

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

beforeEach(async () => {
  slack = await startFakeSlack();
  apps = [];
  lines.length = 0;
});
afterEach(async () => {
  for (const app of apps) await app.close();
  await slack.close();
});

describe('Slack start-up', () => {
  it('a refused bot token is one line saying which token and what to do', async () => {
    const error = await failure(appWith({ SLACK_BOT_TOKEN: 'xoxb-wrong', SLACK_SIGNING_SECRET: 's' }));
    expect(error.message).toMatch(/^Slack refused the bot token \(invalid_auth\): set SLACK_BOT_TOKEN .*xoxb-.*Slack is not started\.$/);
  });

  it('an unreachable API is one line naming the URL', async () => {
    const url = `http://127.0.0.1:${await closedPort()}/api`;
    const error = await failure(appWith({ SLACK_BOT_TOKEN: slack.botToken, SLACK_SIGNING_SECRET: 's', SLACK_API_URL: url }));
    expect(error.message).toContain(`Slack API unreachable at ${url}`);
  });

  it('a refused app token (Socket Mode) says how to make one', async () => {
    const error = await failure(appWith({ SLACK_BOT_TOKEN: slack.botToken, SLACK_APP_TOKEN: 'xapp-wrong' }));
    expect(error.message).toMatch(/^Slack refused SLACK_APP_TOKEN \(invalid_auth\): .*connections:write/);
  });

  it('a port in use is one line naming PORT', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const { port } = taken.address() as AddressInfo;
    try {
      const error = await failure(appWith({ SLACK_BOT_TOKEN: slack.botToken, SLACK_SIGNING_SECRET: 's' }), { port });
      expect(error.message).toContain(`PORT ${port} is already in use`);
    } finally {
      await new Promise<void>((resolve) => taken.close(() => resolve()));
    }
  });

  it('startConfiguredSlack logs the one line and leaves start-up running', async () => {
    const started = await startConfiguredSlack(appWith({ SLACK_BOT_TOKEN: 'xoxb-wrong', SLACK_SIGNING_SECRET: 's' }), { listen: { port: 0, host: '127.0.0.1' } });
    expect(started).toEqual([]);
    const errors = lines.map((l) => JSON.parse(l) as { level: number; msg: string }).filter((l) => l.level >= 50);
    expect(errors).toHaveLength(1);
    expect(errors[0]!.msg).toMatch(/Slack refused the bot token/);
    expect(await startConfiguredSlack(appWith({}))).toEqual([]);
  });

  it('starts in HTTP mode with a good token, calling auth.test once (not Bolt)', async () => {
    const [running] = await startConfiguredSlack(appWith({ SLACK_BOT_TOKEN: slack.botToken, SLACK_SIGNING_SECRET: 's' }), { listen: { port: 0, host: '127.0.0.1' } });
    expect(running).toBeDefined();
    expect(slack.callsTo('auth.test')).toHaveLength(1);
    await running!.stop();
  });
});
