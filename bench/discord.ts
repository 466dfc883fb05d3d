/**
 * Discord adapter benchmark: Paperboy's real discord.js client against the fake Discord, which runs in
 * a child process (this file with --fake) so the memory measured here is Paperboy's own. Prints RSS
 * before and after login with many guilds, RSS while 100,000 reaction events (adds and removes on a
 * delivered digest's papers) go through the gateway and the vote path into SQLite, and the events per
 * second handled end to end. Target: under 150 MB, and flat. Prints, never asserts.
 *
 *   npx tsx bench/discord.ts [--events 100000] [--guilds 1000]
 * @module
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startDiscord } from '../src/adapters/discord/index.js';
import { createApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import type { ReactionEvent } from '../src/core/chat-port.js';
import { settingsFor } from '../src/core/subscriptions.js';
import { createLogger } from '../src/logger.js';
import { ChannelKind, FAKE_CHANNEL_ID, FAKE_GUILD_ID, startFakeDiscord, type FakeGuild } from '../test/fakes/discord/index.js';
import { startFakeHf } from '../test/fakes/hf-server.js';

const DATE = '2024-03-14';
const USERS = 5000;
const EMOJIS = ['👍', '🔥', '⬆️', '❤️', '😴'];
/** Events the fake sends ahead of what Paperboy has handled: enough to keep it busy, not a backlog. */
const WINDOW = 5000;

type ToFake = { type: 'react'; start: number; count: number; threadId: string; messages: string[] } | { type: 'stop' };
type FromFake = { type: 'ready'; apiUrl: string; token: string; appId: string } | { type: 'pushed'; upTo: number };

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const rss = () => {
  global.gc?.();
  return process.memoryUsage().rss;
};

function guilds(count: number): FakeGuild[] {
  return Array.from({ length: count }, (_, i) => ({
    id: i === 0 ? FAKE_GUILD_ID : String(400_000_000_000_000_001n + BigInt(i)),
    name: `Reading group ${i}`,
    channels: [
      { id: i === 0 ? FAKE_CHANNEL_ID : String(500_000_000_000_000_100n + BigInt(i) * 3n), name: 'papers', type: ChannelKind.text },
      { id: String(500_000_000_000_000_101n + BigInt(i) * 3n), name: 'general', type: ChannelKind.text },
      { id: String(500_000_000_000_000_102n + BigInt(i) * 3n), name: 'paper-forum', type: ChannelKind.forum },
    ],
  }));
}

/** Event i of the run: users in turn vote on each paper, then take half the votes back, then vote again. */
function reaction(i: number, threadId: string, messages: string[]) {
  const round = Math.floor(i / (USERS * messages.length));
  return {
    added: round % 2 === 0,
    channelId: threadId,
    messageId: messages[Math.floor(i / USERS) % messages.length] ?? '',
    user: { id: String(600_000_000_000_000_000n + BigInt(i % USERS)), username: `reader${i % USERS}` },
    emoji: EMOJIS[i % EMOJIS.length] ?? '👍',
  };
}

/** The child: a fake Discord with many guilds, pushing reactions when told. */
async function runFake(guildCount: number): Promise<void> {
  const fake = await startFakeDiscord({ guilds: guilds(guildCount) });
  const send = (message: FromFake) => process.send?.(message);
  process.on('message', (message: ToFake) => {
    if (message.type === 'stop') void fake.close().then(() => process.exit(0));
    if (message.type === 'react') {
      void fake.gateway
        .dispatchMany(message.count, (j) => {
          const push = reaction(message.start + j, message.threadId, message.messages);
          return { t: push.added ? 'MESSAGE_REACTION_ADD' : 'MESSAGE_REACTION_REMOVE', d: fake.reactionData(push) };
        })
        .then(() => send({ type: 'pushed', upTo: message.start + message.count }));
    }
  });
  send({ type: 'ready', apiUrl: fake.apiUrl, token: fake.token, appId: fake.appId });
}

function startFakeProcess(guildCount: number): Promise<{ child: ChildProcess; ready: Extract<FromFake, { type: 'ready' }> }> {
  const child = fork(fileURLToPath(import.meta.url), ['--fake', '--guilds', String(guildCount)], { execArgv: ['--import', 'tsx'], stdio: 'inherit' });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('message', (message: FromFake) => {
      if (message.type === 'ready') resolve({ child, ready: message });
    });
  });
}

async function main(events: number, guildCount: number): Promise<void> {
  console.log(`Discord adapter benchmark: ${guildCount} guilds, ${events} reaction events (Node ${process.version}${global.gc ? ', gc exposed' : ''})`);
  const dir = mkdtempSync(join(tmpdir(), 'paperboy-bench-discord-'));
  const hf = await startFakeHf();
  const { child, ready } = await startFakeProcess(guildCount);
  const config = loadConfig({
    DATABASE_PATH: join(dir, 'paperboy.db'), LOG_LEVEL: 'warn', HTTP_RETRIES: '0', HF_API_URL: hf.url,
    DISCORD_TOKEN: ready.token, DISCORD_APP_ID: ready.appId, DISCORD_API_URL: ready.apiUrl,
  });
  const logger = createLogger('warn');
  const app = createApp(config, logger);
  console.log(`RSS before login: ${mb(rss())}`);

  let started = performance.now();
  const bot = await startDiscord({ config, core: app.core, logger, loginTimeoutMs: 120_000 });
  console.log(`Logged in with ${bot.client.guilds.cache.size} guilds in ${((performance.now() - started) / 1000).toFixed(2)} s; RSS ${mb(rss())}`);

  const target = { platform: 'discord', workspace: FAKE_GUILD_ID, channel: FAKE_CHANNEL_ID };
  const outcome = await app.core.digests.deliver(bot.chat, target, DATE, settingsFor(undefined));
  const steps = app.core.ledger.steps({ ...target, digest: 'daily', date: DATE });
  const messages = steps.flatMap((s) => (s.kind === 'paper' && s.messageId ? [s.messageId] : []));
  const threadId = steps.find((s) => s.kind === 'thread')?.messageId ?? '';
  console.log(`Digest ${outcome.status}: ${messages.length} paper messages in thread ${threadId}; RSS ${mb(rss())}`);

  // Count what the vote path has finished, whatever it answered.
  let handled = 0;
  const outcomes = new Map<string, number>();
  const votes = app.core.votes;
  const react = votes.react.bind(votes);
  votes.react = (event: ReactionEvent) => {
    const result = react(event);
    void Promise.resolve(result).then((o) => outcomes.set(String(o), (outcomes.get(String(o)) ?? 0) + 1)).finally(() => handled++);
    return result;
  };

  let pushed = 0;
  const push = () => {
    const count = Math.min(WINDOW, events - pushed);
    if (count <= 0) return;
    child.send({ type: 'react', start: pushed, count, threadId, messages } satisfies ToFake);
    pushed += count;
  };
  started = performance.now();
  const cpuBefore = process.cpuUsage();
  push();
  push();
  const step = Math.max(1, Math.floor(events / 10));
  let nextReport = step;
  await new Promise<void>((resolve) => {
    const tick = setInterval(() => {
      if (handled >= pushed - WINDOW) push();
      while (handled >= nextReport) {
        const seconds = (performance.now() - started) / 1000;
        global.gc?.();
        const memory = process.memoryUsage();
        console.log(`  ${nextReport.toString().padStart(7)} events  ${(nextReport / seconds).toFixed(0).padStart(6)}/s  RSS ${mb(memory.rss)}  heap ${mb(memory.heapUsed)} used of ${mb(memory.heapTotal)}`);
        nextReport += step;
      }
      if (handled >= events) {
        clearInterval(tick);
        resolve();
      }
    }, 5);
  });
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  console.log(`Handled ${handled} reaction events in ${seconds.toFixed(2)} s = ${(handled / seconds).toFixed(0)} events/s end to end`);
  // Wall time depends on what else the machine runs; CPU time per event is Paperboy's own cost.
  console.log(`Paperboy CPU per event: ${((cpu.user + cpu.system) / handled).toFixed(1)} µs (${((handled * 1e6) / (cpu.user + cpu.system)).toFixed(0)} events per CPU-second)`);
  console.log(`Outcomes: ${[...outcomes].map(([k, v]) => `${k} ${v}`).join(', ')}`);
  console.log(`RSS after ${events} events: ${mb(rss())} (target under 150 MB)`);

  await bot.stop();
  await app.close();
  await hf.close();
  child.send({ type: 'stop' } satisfies ToFake);
  rmSync(dir, { recursive: true, force: true });
}

const { values } = parseArgs({ options: { events: { type: 'string', default: '100000' }, guilds: { type: 'string', default: '1000' }, fake: { type: 'boolean', default: false } } });
const guildCount = Number(values.guilds);
if (values.fake) await runFake(guildCount);
else await main(Number(values.events), guildCount);
