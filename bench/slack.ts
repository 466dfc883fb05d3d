/**
 * Slack adapter benchmark: Paperboy as it runs in production, `node dist/main.js start` with the Node
 * flags of `npm run start:prod` (bench/prod.ts builds dist/ when it is older than src/), in HTTP mode in a
 * child process, against the fake Slack Web API, fake Hugging Face and fake arXiv, which run here with the
 * load generator. Signed requests as Slack sends them. Prints slash commands and reaction events per
 * second, ack latency (p50/p95/p99; target p95 under 50 ms, far inside Slack's 3 s), the child's RSS
 * (/proc/<pid>/status) and CPU time. Prints, never asserts.
 *
 *   npx tsx bench/slack.ts [--events 100000] [--quick] [--concurrency 8] [--node-flags="…"] [--tsx]
 *
 * A tenth of the events are slash commands (/help, /search, /paper, /top), the rest reactions on the
 * messages of a digest posted by `/digest`: each reaction is added, acknowledged, then removed by the
 * same person (no removal of a reaction that was never there). The reactions count as applied when the
 * last event, a vote by a user no other event uses, is in the child's SQLite file.
 * @module
 */
import { createServer } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import BetterSqlite3 from 'better-sqlite3';
import { startFakeArxiv } from '../test/fakes/arxiv-server.js';
import { startFakeHf } from '../test/fakes/hf-server.js';
import { reactionEvent, slashCommand } from '../test/fakes/slack/payloads.js';
import { postSigned } from '../test/fakes/slack/signed-request.js';
import { startFakeSlack } from '../test/fakes/slack/web-api.js';
import { cpuSecondsOf, distMain, ensureBuild, mb, memoryOf, root, spawnNode, startProdFlags, type Child } from './prod.js';

const SECRET = 'bench-signing-secret';
const CHANNEL = 'CBENCH';
const DATE = '2024-03-14';
const USERS = Array.from({ length: 500 }, (_, i) => ({ id: `U${String(i).padStart(6, '0')}`, is_admin: i === 0 }));
const SENTINEL = 'USENTINEL';
const EMOJIS = ['+1', 'thumbsup', '+1::skin-tone-2', 'fire', 'arrow_up', 'heart', 'eyes'];
const COMMANDS: [string, string][] = [['/help', ''], ['/search', 'gemma'], ['/paper', '2403.08295'], ['/top', 'week']];

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

function summary(label: string, latencies: number[], seconds: number): string {
  const sorted = [...latencies].sort((a, b) => a - b);
  return `${label}: ${latencies.length} in ${seconds.toFixed(2)} s = ${(latencies.length / seconds).toFixed(0)}/s; ack p50 ${percentile(sorted, 50).toFixed(2)} ms, p95 ${percentile(sorted, 95).toFixed(2)} ms, p99 ${percentile(sorted, 99).toFixed(2)} ms, max ${(sorted.at(-1) ?? 0).toFixed(1)} ms`;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Runs `count` tasks, `concurrency` at a time; returns every ack latency they report. */
async function drive(count: number, concurrency: number, task: (i: number) => Promise<number[]>, label: string): Promise<number[]> {
  const latencies: number[] = [];
  let next = 0;
  let done = 0;
  let reported = 0;
  const step = Math.max(1, Math.floor(count / 10));
  const worker = async () => {
    while (next < count) {
      const i = next++;
      latencies.push(...(await task(i)));
      if (++done - reported >= step) {
        reported = done;
        process.stdout.write(`  ${label}: ${reported}/${count}\n`);
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return latencies;
}

async function waitFor<T>(child: Child, what: string, timeoutMs: number, check: () => T | undefined | false | Promise<T | undefined | false>): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (child.process.exitCode !== null || child.process.signalCode !== null) throw new Error(`Paperboy exited while waiting for ${what}: ${child.tail.join(' | ')}`);
    if (performance.now() > deadline) throw new Error(`timed out after ${Math.round(timeoutMs / 1000)} s waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function run(totalEvents: number, concurrency: number, nodeFlags: string[], viaTsx: boolean, holder: { child?: Child }, dir: string): Promise<void> {
  const [slack, hf, arxiv] = await Promise.all([startFakeSlack({ users: [...USERS, { id: SENTINEL, is_admin: false }] }), startFakeHf(), startFakeArxiv()]);
  let db: BetterSqlite3.Database | undefined;
  try {
    const port = await freePort();
    const eventsUrl = `http://127.0.0.1:${port}/slack/events`;
    const databasePath = join(dir, 'paperboy.db');
    const args = viaTsx ? [...nodeFlags, '--import', import.meta.resolve('tsx'), join(root, 'src', 'main.ts'), 'start'] : [...nodeFlags, distMain, 'start'];
    console.log(`Paperboy: node ${[...nodeFlags, viaTsx ? '--import tsx src/main.ts' : 'dist/main.js', 'start'].join(' ')} (Node ${process.version}), Slack HTTP mode on ${eventsUrl}`);
    const spawned = performance.now();
    const child = spawnNode(args, {
      cwd: dir, // no .env of the checkout: only the variables below
      label: 'paperboy',
      env: {
        DATABASE_PATH: databasePath, LOG_LEVEL: 'warn', HTTP_RETRIES: '0', HF_API_URL: hf.url,
        ARXIV_API_URL: `${arxiv.url}/api/query`, ARXIV_MIN_INTERVAL_MS: '0',
        SLACK_BOT_TOKEN: slack.botToken, SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: slack.apiUrl, PORT: String(port),
      },
    });
    holder.child = child;
    const { pid } = child;

    let sent = 0;
    const command = async (name: string, text: string, user: string) => {
      const body = slashCommand({ command: name, text, user, channel: CHANNEL, responseUrl: slack.responseUrl(String(sent++)) });
      return postSigned(eventsUrl, SECRET, body, { form: true });
    };
    await waitFor(child, 'the Slack receiver', 60_000, async () => (await command('/help', '', USERS[1]!.id).catch(() => undefined))?.status === 200);
    const ready = memoryOf(pid);
    console.log(`Answering ${((performance.now() - spawned) / 1000).toFixed(2)} s after spawn; RSS ${mb(ready.rss)}`);

    const digest = await command('/digest', DATE, USERS[0]!.id);
    if (digest.status !== 200) throw new Error(`/digest answered HTTP ${digest.status}`);
    db = new BetterSqlite3(databasePath, { readonly: true, fileMustExist: true });
    const posted = db.prepare(`SELECT message_id FROM posts WHERE platform = 'slack' AND channel = ? AND kind = 'paper' AND state = 'posted' ORDER BY position`).pluck();
    const planned = db.prepare(`SELECT count(*) FROM posts WHERE platform = 'slack' AND channel = ? AND kind = 'paper'`).pluck();
    // Slack takes about one message a second per channel: the digest takes ten seconds or so.
    const messages = await waitFor(child, 'the digest to be posted', 120_000, () => {
      const ids = posted.all(CHANNEL) as string[];
      const all = planned.get(CHANNEL) as number;
      return all > 0 && ids.length === all ? ids : undefined;
    });
    const afterDigest = memoryOf(pid);
    console.log(`/digest ${DATE}: ${messages.length} paper messages posted; RSS ${mb(afterDigest.rss)}`);

    const commandCount = Math.max(1, Math.round(totalEvents / 10));
    const pairs = Math.max(1, Math.floor((totalEvents - commandCount) / 2));
    const reactionCount = pairs * 2;
    console.log(`Slack bench: ${commandCount} slash commands, then ${reactionCount} reaction events (${pairs} added and removed), concurrency ${concurrency}`);

    // The fake records every call and answer; keep only the count so the load generator stays small.
    let answered = 0;
    const countAnswers = () => {
      answered += slack.responses.length;
      slack.responses.length = 0;
      slack.calls.length = 0;
      slack.messages.length = 0;
    };
    countAnswers();
    answered = 0;
    const cpuBefore = cpuSecondsOf(pid);
    const commandsStarted = performance.now();
    const commandLatencies = await drive(commandCount, concurrency, async (i) => {
      const [name, text] = COMMANDS[i % COMMANDS.length]!;
      const response = await command(name, text, USERS[i % USERS.length]!.id);
      if (response.status !== 200) throw new Error(`${name} answered HTTP ${response.status}`);
      if (i % 1000 === 0) countAnswers();
      return [response.ms];
    }, 'slash commands');
    const ackSeconds = (performance.now() - commandsStarted) / 1000;
    await waitFor(child, 'every command to be answered', 300_000, () => (countAnswers(), answered >= commandCount));
    const answerSeconds = (performance.now() - commandsStarted) / 1000;
    const afterCommands = memoryOf(pid);

    const reaction = async (pair: number, added: boolean, user = USERS[pair % USERS.length]!.id) => {
      const body = reactionEvent({ added, user, reaction: EMOJIS[Math.floor(pair / USERS.length) % EMOJIS.length]!, channel: CHANNEL, ts: messages[pair % messages.length]! });
      const response = await postSigned(eventsUrl, SECRET, body);
      if (response.status !== 200) throw new Error(`event answered HTTP ${response.status}`);
      return response.ms;
    };
    const reactionsStarted = performance.now();
    // Each person adds a reaction and, once Slack has it acknowledged, takes it back.
    const reactionLatencies = await drive(pairs, concurrency, async (pair) => [await reaction(pair, true), await reaction(pair, false)], 'reaction pairs');
    const ackedSeconds = (performance.now() - reactionsStarted) / 1000;
    reactionLatencies.push(await reaction(0, true, SENTINEL));
    const rows = db.prepare(`SELECT (SELECT count(*) FROM reactions WHERE platform = 'slack') AS rows, (SELECT count(*) FROM reactions WHERE user_id = ?) AS sentinel`);
    const final = await waitFor(child, 'every reaction to reach the vote path', 300_000, () => {
      const seen = rows.get(SENTINEL) as { rows: number; sentinel: number };
      return seen.sentinel > 0 ? seen : undefined;
    });
    const reactionSeconds = (performance.now() - reactionsStarted) / 1000;
    const cpuAfter = cpuSecondsOf(pid);
    const end = memoryOf(pid);

    const all = [...commandLatencies, ...reactionLatencies].sort((a, b) => a - b);
    const p95 = percentile(all, 95);
    console.log('\nResults');
    console.log(summary('slash commands acked', commandLatencies, ackSeconds));
    console.log(`  answered through response_url: ${answered} in ${answerSeconds.toFixed(2)} s = ${(answered / answerSeconds).toFixed(0)}/s`);
    console.log(summary('reaction events acked', reactionLatencies, ackedSeconds));
    console.log(`  applied (the last event's vote in SQLite): ${reactionLatencies.length} in ${reactionSeconds.toFixed(2)} s = ${(reactionLatencies.length / reactionSeconds).toFixed(0)} events/s; ${final.rows} reaction row left (the last event's: ${final.rows === 1 ? 'as expected' : 'NOT as expected'})`);
    console.log(`ack p95 over all ${all.length} events: ${p95.toFixed(2)} ms (target under 50 ms: ${p95 < 50 ? 'met' : 'not met'})`);
    if (cpuBefore !== undefined && cpuAfter !== undefined) {
      const cpu = cpuAfter - cpuBefore;
      console.log(`Paperboy CPU: ${cpu.toFixed(2)} s for ${all.length} events = ${((cpu * 1e6) / all.length).toFixed(1)} µs per event`);
    }
    console.log(`Paperboy RSS: ${mb(ready.rss)} answering, ${mb(afterDigest.rss)} after the digest, ${mb(afterCommands.rss)} after the commands, ${mb(end.rss)} at the end (anon ${mb(end.anon)}, file ${mb(end.file)}); VmHWM ${mb(end.peak)}`);
    const stopped = await child.stop();
    console.log(`Stopped on SIGTERM in ${stopped.ms.toFixed(0)} ms: ${stopped.code === null ? `killed by ${stopped.signal}` : `exit ${stopped.code}`}`);
    console.log(`summary | flags ${nodeFlags.join(' ') || '(none)'}${viaTsx ? ' tsx' : ''} | ${(commandLatencies.length / ackSeconds).toFixed(0)} commands/s | ${(reactionLatencies.length / reactionSeconds).toFixed(0)} reactions/s | ack p95 ${p95.toFixed(2)} ms | RSS end ${mb(end.rss)}`);
  } finally {
    db?.close();
    await holder.child?.stop();
    await Promise.allSettled([slack.close(), hf.close(), arxiv.close()]);
  }
}

const { values } = parseArgs({
  options: {
    events: { type: 'string' },
    quick: { type: 'boolean', default: false },
    concurrency: { type: 'string', default: '8' },
    'node-flags': { type: 'string' },
    tsx: { type: 'boolean', default: false },
  },
});

const holder: { child?: Child } = {};
let dir: string | undefined;
// Whatever happens (an error, Ctrl-C), the child goes and the temporary folder with it.
process.on('exit', () => {
  const running = holder.child?.process;
  if (running && running.exitCode === null && running.signalCode === null) running.kill('SIGKILL');
  if (dir) rmSync(dir, { recursive: true, force: true });
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130));

try {
  const events = Math.max(10, Number(values.events ?? (values.quick ? 10_000 : 100_000)));
  const concurrency = Math.max(1, Number(values.concurrency));
  if (!values.tsx) ensureBuild();
  const nodeFlags = values['node-flags'] !== undefined ? values['node-flags'].split(/\s+/).filter(Boolean) : values.tsx ? [] : startProdFlags();
  dir = mkdtempSync(join(tmpdir(), 'paperboy-bench-slack-'));
  await run(events, concurrency, nodeFlags, values.tsx, holder, dir);
} catch (err) {
  process.stderr.write(`bench failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
}
