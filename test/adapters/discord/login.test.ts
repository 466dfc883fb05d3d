import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startDiscord } from '../../../src/adapters/discord/index.js';
import { DiscordStartError } from '../../../src/adapters/discord/errors.js';
import { createApp, type App } from '../../../src/app.js';
import { startFakeDiscord, type FakeDiscord } from '../../fakes/discord/index.js';
import { waitFor } from '../../fakes/discord/wait-for.js';
import { silentLogger, testConfig } from './harness.js';

let fake: FakeDiscord | undefined;
let app: App | undefined;
const stops: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const stop of stops.splice(0)) await stop();
  await app?.close();
  app = undefined;
  await fake?.close();
  fake = undefined;
});

async function start(overrides: Record<string, string> = {}, loginTimeoutMs = 5000) {
  fake ??= await startFakeDiscord({ heartbeatIntervalMs: 200 });
  const config = testConfig(fake, overrides);
  app = createApp(config, silentLogger());
  const bot = await startDiscord({ config, inbound: app.inbound, logger: silentLogger(), loginTimeoutMs });
  stops.push(() => bot.stop());
  return bot;
}

describe('Discord login', () => {
  it('logs in with the token, the two intents, and receives every guild', async () => {
    const bot = await start();
    const f = fake!;
    expect(bot.client.guilds.cache.map((g) => g.name)).toEqual(['Reading group']);
    expect(bot.client.channels.cache.get('500000000000000001')?.isTextBased()).toBe(true);
    expect(f.requests.find((r) => r.route === '/gateway/bot')?.authorization).toBe(`Bot ${f.token}`);
    expect(f.gateway.identifies).toHaveLength(1);
    // Guilds (1 << 0) | GuildMessageReactions (1 << 10)
    expect(f.gateway.identifies[0]?.intents).toBe(1 | 1024);
    expect(f.gateway.identifies[0]?.token).toBe(f.token);
    // It keeps the connection alive: heartbeats go out and are acknowledged.
    await waitFor(() => f.gateway.heartbeats >= 2, { what: 'two heartbeats' });
  });

  it('fails with one line when the token is refused', async () => {
    fake = await startFakeDiscord({ token: 'the-real-token' });
    const error = await start({ DISCORD_TOKEN: 'wrong' }).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(DiscordStartError);
    const message = (error as Error).message;
    expect(message).toMatch(/^Discord rejected DISCORD_TOKEN \(401 Unauthorized\)/);
    expect(message).not.toContain('\n');
    expect((error as DiscordStartError).code).toBe('bad_input');
  });

  it('fails with one line when the gateway refuses the token (close code 4004)', async () => {
    fake = await startFakeDiscord({ gatewayToken: 'revoked-meanwhile' });
    const error = await start().catch((err: unknown) => err);
    expect(error).toBeInstanceOf(DiscordStartError);
    expect((error as Error).message).toMatch(/^Discord gateway refused DISCORD_TOKEN \(4004 Authentication failed\)/);
    expect(fake.gateway.identifies).toHaveLength(1);
  });

  it('fails with one line when the API cannot be reached', async () => {
    fake = await startFakeDiscord();
    const closedPort = await freePort();
    const error = await start({ DISCORD_API_URL: `http://127.0.0.1:${closedPort}/api` }).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(DiscordStartError);
    expect((error as Error).message).toMatch(/^Cannot reach the Discord API at http:\/\/127\.0\.0\.1:\d+\/api \(ECONNREFUSED\)/);
    expect((error as Error).message).not.toContain('\n');
  });

  it('fails with one line when the gateway never answers', async () => {
    fake = await startFakeDiscord();
    // The gateway address Discord hands out accepts connections but never says HELLO.
    const silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as { port: number }).port;
    Object.defineProperty(fake, 'gatewayUrl', { get: () => `ws://127.0.0.1:${port}/gateway` });
    const started = performance.now();
    const error = await start({}, 1500).catch((err: unknown) => err);
    silent.close();
    expect(error).toBeInstanceOf(DiscordStartError);
    expect((error as Error).message).toMatch(/^Discord gateway at ws:\/\/127\.0\.0\.1:\d+\/gateway did not answer within 2 s/);
    expect(performance.now() - started).toBeLessThan(4000);
  });

  it('resumes after the gateway drops the connection, and keeps receiving events', async () => {
    await start();
    const f = fake!;
    f.gateway.disconnect(4000);
    await waitFor(() => f.gateway.resumes.length === 1 && f.gateway.isReady, { what: 'a RESUME' });
    expect(f.gateway.identifies).toHaveLength(1);
    const record = f.pushCommand({ name: 'help' });
    await waitFor(() => record.responses.length > 0, { what: 'an answer after the resume' });
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
