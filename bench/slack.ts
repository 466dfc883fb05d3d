/**
 * Slack adapter benchmark: signed HTTP requests against Paperboy's Bolt receiver on loopback, as Slack
 * sends them. Prints slash commands and reaction events per second, ack latency (p50/p95/p99; target
 * p95 under 50 ms, far inside Slack's 3 s), and Paperboy's memory after all events. Prints, never asserts.
 *
 *   npx tsx bench/slack.ts [--events 100000] [--concurrency 8]
 *
 * A tenth of the events are slash commands (/help, /search, /paper, /top), the rest reactions added
 * and removed on the messages of a delivered digest. Paperboy runs in a child process (this file with
 * --serve), so its memory and latency are its own; the fakes and the load generator run here.
 * @module
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startSlack } from '../src/adapters/slack/index.js';
import { createApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import type { ReactionEvent } from '../src/core/chat-port.js';
import type { Inbound } from '../src/core/inbound.js';
import { settingsFor } from '../src/core/subscriptions/store.js';
import { createLogger } from '../src/logger.js';
import { startFakeHf } from '../test/fakes/hf-server.js';
import { reactionEvent, slashCommand } from '../test/fakes/slack/payloads.js';
import { postSigned } from '../test/fakes/slack/signed-request.js';
import { startFakeSlack } from '../test/fakes/slack/web-api.js';

const SECRET = 'bench-signing-secret';
const CHANNEL = 'CBENCH';
const USERS = Array.from({ length: 500 }, (_, i) => ({ id: `U${String(i).padStart(6, '0')}`, is_admin: i === 0 }));
const EMOJIS = ['+1', 'thumbsup', '+1::skin-tone-2', 'fire', 'arrow_up', 'heart', 'eyes'];
const COMMANDS: [string, string][] = [['/help', ''], ['/search', 'gemma'], ['/paper', '2403.08295'], ['/top', 'week']];

/** What the Paperboy child reports to the load generator. */
type ChildMessage =
  | { type: 'ready'; eventsUrl: string; paperMessages: string[]; digest: string }
  | { type: 'stats'; processed: number; rss: number; heapUsed: number };

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

function summary(label: string, latencies: number[], seconds: number): string {
  const sorted = [...latencies].sort((a, b) => a - b);
  return `${label}: ${latencies.length} in ${seconds.toFixed(2)} s = ${(latencies.length / seconds).toFixed(0)}/s; ack p50 ${percentile(sorted, 50).toFixed(2)} ms, p95 ${percentile(sorted, 95).toFixed(2)} ms, p99 ${percentile(sorted, 99).toFixed(2)} ms, max ${(sorted.at(-1) ?? 0).toFixed(1)} ms`;
}

/** The child: Paperboy with its Slack adapter in HTTP mode, configured by the parent's environment. */
async function serve(): Promise<void> {
  const config = loadConfig(process.env);
  const logger = createLogger('warn');
  const app = createApp(config, logger);
  let processed = 0;
  const inbound: Inbound = {
    ...app.inbound,
    async reaction(event: ReactionEvent) {
      const outcome = await app.inbound.reaction(event);
      processed++;
      return outcome;
    },
  };
  const running = await startSlack({ config, inbound, logger, paceMs: 0, listen: { port: 0, host: '127.0.0.1' } });
  const target = { platform: 'slack', workspace: running.teamId, channel: CHANNEL };
  const before = new Set(app.core.ledger.steps({ ...target, digest: 'daily', date: '2024-03-14' }).map((s) => s.messageId));
  const outcome = await app.core.digests.deliver(running.chat, target, '2024-03-14', settingsFor(undefined));
  const paperMessages = app.core.ledger.steps({ ...target, digest: 'daily', date: '2024-03-14' }).flatMap((s) => (s.kind === 'paper' && s.messageId && !before.has(s.messageId) ? [s.messageId] : []));
  const send = (message: ChildMessage) => process.send?.(message);
  send({ type: 'ready', eventsUrl: running.eventsUrl ?? '', paperMessages, digest: outcome.status });
  process.on('message', (message: string) => {
    if (message === 'stats') {
      global.gc?.();
      const memory = process.memoryUsage();
      send({ type: 'stats', processed, rss: memory.rss, heapUsed: memory.heapUsed });
    }
    if (message === 'stop') {
      void running.stop().then(async () => {
        await app.close();
        process.exit(0);
      });
    }
  });
}

function nextMessage<T extends ChildMessage['type']>(child: ChildProcess, type: T): Promise<Extract<ChildMessage, { type: T }>> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: ChildMessage) => {
      if (message.type !== type) return;
      child.off('message', onMessage);
      child.off('exit', onExit);
      resolve(message as Extract<ChildMessage, { type: T }>);
    };
    const onExit = (code: number | null) => reject(new Error(`Paperboy exited (${code}) before sending ${type}`));
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

/** Runs `count` requests, `concurrency` at a time; returns each one's ack latency. */
async function drive(count: number, concurrency: number, send: (i: number) => Promise<number>, label: string): Promise<number[]> {
  const latencies: number[] = [];
  let next = 0;
  let reported = 0;
  const step = Math.max(1, Math.floor(count / 10));
  const worker = async () => {
    while (next < count) {
      const i = next++;
      latencies.push(await send(i));
      if (latencies.length - reported >= step) {
        reported = latencies.length;
        process.stdout.write(`  ${label}: ${reported}/${count}\n`);
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return latencies;
}

async function waitUntil(probe: () => Promise<boolean> | boolean, what: string, timeoutMs = 300_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!(await probe())) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function generateLoad(totalEvents: number, concurrency: number): Promise<void> {
  const folder = mkdtempSync(join(tmpdir(), 'paperboy-bench-slack-'));
  const slack = await startFakeSlack({ users: USERS });
  const hf = await startFakeHf();
  const child = fork(fileURLToPath(import.meta.url), ['--serve'], {
    execArgv: ['--import', 'tsx', '--expose-gc', ...(process.env.BENCH_CHILD_ARGS ? process.env.BENCH_CHILD_ARGS.split(' ') : [])],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: {
      ...process.env,
      DATABASE_PATH: join(folder, 'bench.db'),
      LOG_LEVEL: 'warn',
      HF_API_URL: hf.url,
      ARXIV_API_URL: 'http://127.0.0.1:9/api/query',
      HTTP_RETRIES: '0',
      SLACK_BOT_TOKEN: slack.botToken,
      SLACK_APP_TOKEN: '',
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: slack.apiUrl,
    },
  });
  try {
    const ready = await nextMessage(child, 'ready');
    const stats = async () => {
      child.send('stats');
      return nextMessage(child, 'stats');
    };
    const commandCount = Math.max(1, Math.round(totalEvents / 10));
    const reactionCount = totalEvents - commandCount;
    const start = await stats();
    process.stdout.write(`Slack bench: ${totalEvents} events (${commandCount} slash commands, ${reactionCount} reactions), concurrency ${concurrency}, Node ${process.version}\n`);
    process.stdout.write(`Paperboy ready: digest ${ready.digest}, ${ready.paperMessages.length} paper messages to react to, rss ${mb(start.rss)}\n`);

    // The fake records every call and answer; keep only the count so the load generator stays small.
    let answered = 0;
    const countAnswers = () => {
      answered += slack.responses.length;
      slack.responses.length = 0;
      slack.calls.length = 0;
    };
    const commandsStarted = performance.now();
    const commandLatencies = await drive(commandCount, concurrency, async (i) => {
      const [command, text] = COMMANDS[i % COMMANDS.length]!;
      const body = slashCommand({ command, text, user: USERS[i % USERS.length]!.id, channel: CHANNEL, responseUrl: slack.responseUrl(String(i)) });
      const response = await postSigned(ready.eventsUrl, SECRET, body, { form: true });
      if (response.status !== 200) throw new Error(`command answered HTTP ${response.status}`);
      if (i % 1000 === 0) countAnswers();
      return response.ms;
    }, 'slash commands');
    const ackSeconds = (performance.now() - commandsStarted) / 1000;
    await waitUntil(() => (countAnswers(), answered >= commandCount), 'every command to be answered');
    const answerSeconds = (performance.now() - commandsStarted) / 1000;

    const reactionsStarted = performance.now();
    const reactionLatencies = await drive(reactionCount, concurrency, async (i) => {
      const pair = i >> 1; // each user adds a reaction, then removes it
      const body = reactionEvent({
        added: i % 2 === 0,
        user: USERS[pair % USERS.length]!.id,
        reaction: EMOJIS[pair % EMOJIS.length]!,
        channel: CHANNEL,
        ts: ready.paperMessages[pair % Math.max(1, ready.paperMessages.length)] ?? '1.000001',
      });
      const response = await postSigned(ready.eventsUrl, SECRET, body);
      if (response.status !== 200) throw new Error(`event answered HTTP ${response.status}`);
      if (i % 5000 === 0) countAnswers();
      return response.ms;
    }, 'reactions');
    let end = await stats();
    await waitUntil(async () => (end = await stats()).processed >= reactionCount, 'every reaction to reach the vote path');
    const reactionSeconds = (performance.now() - reactionsStarted) / 1000;

    const all = [...commandLatencies, ...reactionLatencies].sort((a, b) => a - b);
    const p95 = percentile(all, 95);
    process.stdout.write('\nResults\n');
    process.stdout.write(`${summary('slash commands acked', commandLatencies, ackSeconds)}\n`);
    process.stdout.write(`  answered through response_url: ${answered} in ${answerSeconds.toFixed(2)} s = ${(answered / answerSeconds).toFixed(0)}/s\n`);
    process.stdout.write(`${summary('reaction events acked', reactionLatencies, reactionSeconds)}\n`);
    process.stdout.write(`  reached the vote path: ${end.processed} in ${reactionSeconds.toFixed(2)} s\n`);
    process.stdout.write(`ack p95 over all ${all.length} events: ${p95.toFixed(2)} ms (target under 50 ms: ${p95 < 50 ? 'met' : 'not met'})\n`);
    process.stdout.write(`Paperboy memory after ${totalEvents} events: rss ${mb(end.rss)} (${mb(end.rss - start.rss)} more than at start), heap used ${mb(end.heapUsed)}\n`);
  } finally {
    child.send('stop');
    await new Promise((resolve) => child.once('exit', resolve));
    await Promise.all([slack.close(), hf.close()]);
    rmSync(folder, { recursive: true, force: true });
  }
}

const { values } = parseArgs({
  options: {
    events: { type: 'string' },
    quick: { type: 'boolean', default: false },
    concurrency: { type: 'string', default: '8' },
    serve: { type: 'boolean', default: false },
  },
});
const events = Number(values.events ?? (values.quick ? 10_000 : 100_000));
const run = values.serve ? serve() : generateLoad(Math.max(10, events), Math.max(1, Number(values.concurrency)));
run.catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
