/**
 * Discord adapter benchmark: Paperboy as it runs in production, `node dist/main.js start` with the Node
 * flags of `npm run start:prod`, in a child process against the fake Discord (1,000 guilds), fake
 * Hugging Face and fake arXiv, which run here in the bench process. Builds dist/ first when it is
 * missing or older than src/. Prints the child's RSS (/proc/<pid>/status) after login, after a `/digest`
 * pushed through the gateway, and every 10% through the reaction events; the events per second end to
 * end (from the first event dispatched until the child's SQLite file shows every one applied); and the
 * child's CPU time per event. Target: under 150 MB, and flat. Prints, never asserts.
 *
 *   npx tsx bench/discord.ts [--events 100000] [--quick] [--guilds 1000] [--node-flags="--max-semi-space-size=8"] [--tsx]
 *
 * --quick: 10,000 events. --node-flags=…: these Node flags instead of start:prod's (`--node-flags=` for
 * none; write it with `=`, as the value starts with a dash). --tsx: the child runs src/main.ts under tsx,
 * as `npm start` does, for comparison.
 * @module
 */
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import BetterSqlite3 from 'better-sqlite3';
import {
  ChannelKind, FAKE_CHANNEL_ID, FAKE_GUILD_ID, MANAGE_GUILD, MEMBER_PERMISSIONS, startFakeDiscord, type FakeDiscord, type FakeGuild, type FakeUser,
  type InteractionRecord,
} from '../test/fakes/discord/index.js';
import { startFakeArxiv } from '../test/fakes/arxiv-server.js';
import { startFakeHf } from '../test/fakes/hf-server.js';
import { cpuSecondsOf, distMain, ensureBuild, mb, memoryOf, root, spawnNode, startProdFlags, type Child, type Memory } from './prod.js';

const DATE = '2024-03-14';
/** At least this many readers; more when the run needs more distinct votes than they have (each new vote is a new one, so the table always moves). */
const USERS = 5000;
/** The default vote emojis, and one that is not a vote. */
const VOTE_EMOJIS = ['👍', '🔥', '⬆️', '❤️'];
const NOT_A_VOTE = '😴';
/** The last event of every run: a vote by a user no other event uses. Events reach the vote path in gateway order, so its row means all are in. */
const SENTINEL = -1;
/** Events dispatched ahead of what the child has applied: enough to keep it busy, not a backlog. */
const WINDOW = 5000;
const CHUNK = 1000;
/** The child has not moved for this long: give up and say where it stopped. */
const STALL_MS = 30_000;

const { values } = parseArgs({
  options: {
    events: { type: 'string' },
    quick: { type: 'boolean', default: false },
    guilds: { type: 'string', default: '1000' },
    'node-flags': { type: 'string' },
    tsx: { type: 'boolean', default: false },
  },
});

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

/** Readers for a run: enough that its new votes (six in ten events) never come round to one already cast. */
function readerCount(events: number, messages: number): number {
  return Math.max(USERS, Math.ceil((0.6 * events + 10) / (messages * VOTE_EMOJIS.length)));
}

/** One reaction event: which paper message (index), which user (index, or SENTINEL), which emoji. */
interface Reaction {
  added: boolean;
  message: number;
  user: number;
  emoji: string;
}

/**
 * Event i of `total`, in blocks of ten: six new votes (users in turn on each paper, then the next emoji),
 * the block's first vote taken back, a reaction that is not a vote emoji, a second vote emoji by a voter
 * of the block (same vote, one more reaction), and a repeat of a vote already counted. The last event is
 * the sentinel's vote.
 */
function reactionAt(i: number, total: number, messages: number, users: number): Reaction {
  if (i === total - 1) return { added: true, message: 0, user: SENTINEL, emoji: VOTE_EMOJIS[0]! };
  const block = Math.floor(i / 10);
  const fresh = (n: number) => {
    const f = block * 6 + n;
    return { message: Math.floor(f / users) % messages, user: f % users, emoji: VOTE_EMOJIS[Math.floor(f / (users * messages)) % VOTE_EMOJIS.length]! };
  };
  switch (i % 10) {
    case 6:
      return { added: false, ...fresh(0) };
    case 7:
      return { added: true, ...fresh(1), emoji: NOT_A_VOTE };
    case 8: {
      const vote = fresh(2);
      return { added: true, ...vote, emoji: VOTE_EMOJIS[(VOTE_EMOJIS.indexOf(vote.emoji) + 1) % VOTE_EMOJIS.length]! };
    }
    case 9:
      return { added: true, ...fresh(1) };
    default:
      return { added: true, ...fresh(i % 10) };
  }
}

/** What the `reactions` table must hold after each prefix of the events (rows[p] after p events), and the distinct voters per paper at the end. */
function expected(total: number, messages: number, users: number): { rows: Int32Array; voters: number } {
  const rows = new Int32Array(total + 1);
  const held = new Set<string>();
  for (let i = 0; i < total; i++) {
    const r = reactionAt(i, total, messages, users);
    if (r.emoji !== NOT_A_VOTE) {
      const key = `${r.message}:${r.user}:${r.emoji}`;
      if (r.added) held.add(key);
      else held.delete(key);
    }
    rows[i + 1] = held.size;
  }
  const voters = new Set([...held].map((key) => key.slice(0, key.lastIndexOf(':')))).size;
  return { rows, voters };
}

/** Polls `check` until it gives a value; fails at the deadline, or at once when the child exits. */
async function waitFor<T>(child: Child, what: string, timeoutMs: number, check: () => T | undefined | false): Promise<T> {
  let exited: { code: number | null; signal: string | null } | undefined;
  void child.exited.then((e) => (exited = e));
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined && value !== false) return value;
    if (exited) throw new Error(`Paperboy exited (${exited.code ?? exited.signal}) while waiting for ${what}`);
    if (performance.now() > deadline) throw new Error(`timed out after ${Math.round(timeoutMs / 1000)} s waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

const memoryLine = (m: Memory) => `RSS ${mb(m.rss)} (anon ${mb(m.anon)}, file ${mb(m.file)})`;

/** Sends slash commands until one is answered: the child only answers once it is ready (discord.js holds dispatches until every guild is in). */
async function firstAnswer(child: Child, fake: FakeDiscord): Promise<void> {
  const probes: InteractionRecord[] = [];
  const deadline = performance.now() + 120_000;
  while (!probes.some((p) => p.responses.length > 0)) {
    // Discord gives an interaction 3 s: a new probe every 2 s, so one is always young enough to answer.
    probes.push(fake.pushCommand({ name: 'help' }));
    const until = performance.now() + 2000;
    await waitFor(child, 'the login', deadline - performance.now(), () => performance.now() > until || probes.some((p) => p.responses.length > 0));
  }
}

async function run(events: number, guildCount: number, nodeFlags: string[], viaTsx: boolean, child: { current?: Child }, dir: string): Promise<void> {
  const [fake, hf, arxiv] = await Promise.all([startFakeDiscord({ guilds: guilds(guildCount) }), startFakeHf(), startFakeArxiv()]);
  let db: BetterSqlite3.Database | undefined;
  try {
    const databasePath = join(dir, 'paperboy.db');
    const args = viaTsx ? [...nodeFlags, '--import', import.meta.resolve('tsx'), join(root, 'src', 'main.ts'), 'start'] : [...nodeFlags, distMain, 'start'];
    console.log(`Paperboy: node ${[...nodeFlags, viaTsx ? '--import tsx src/main.ts' : 'dist/main.js', 'start'].join(' ')} (Node ${process.version})`);
    const spawned = performance.now();
    const paperboy = spawnNode(args, {
      cwd: dir, // no .env of the checkout: only the variables below
      label: 'paperboy',
      env: {
        DATABASE_PATH: databasePath, LOG_LEVEL: 'warn', HTTP_RETRIES: '0', HF_API_URL: hf.url,
        ARXIV_API_URL: `${arxiv.url}/api/query`, ARXIV_MIN_INTERVAL_MS: '0',
        DISCORD_TOKEN: fake.token, DISCORD_APP_ID: fake.appId, DISCORD_API_URL: fake.apiUrl,
      },
    });
    child.current = paperboy;
    const { pid } = paperboy;

    await waitFor(paperboy, 'IDENTIFY at the gateway', 60_000, () => fake.gateway.identifies.length > 0);
    console.log(`Identified at the gateway after ${((performance.now() - spawned) / 1000).toFixed(2)} s (modules loaded, database open); ${memoryLine(memoryOf(pid))}`);
    await firstAnswer(paperboy, fake);
    const login = memoryOf(pid);
    console.log(`Logged in with ${guildCount} guilds, answering, ${((performance.now() - spawned) / 1000).toFixed(2)} s after spawn; ${memoryLine(login)}`);

    const digest = fake.pushCommand({ name: 'digest', options: [{ name: 'date', value: DATE }], permissions: MEMBER_PERMISSIONS | MANAGE_GUILD });
    const answer = await waitFor(paperboy, 'the /digest answer', 60_000, () => digest.responses.find((r) => r.kind !== 'callback'));
    db = new BetterSqlite3(databasePath, { readonly: true, fileMustExist: true });
    const posts = db
      .prepare(`SELECT message_id AS messageId, container FROM posts WHERE platform = 'discord' AND workspace = ? AND channel = ? AND kind = 'paper' AND state = 'posted' ORDER BY position`)
      .all(FAKE_GUILD_ID, FAKE_CHANNEL_ID) as { messageId: string; container: string }[];
    const messages = posts.map((p) => p.messageId);
    // Where a paper message lives, as the ledger records it: {"workspace":…,"channel":<the thread>}.
    const threadId = posts[0] ? (JSON.parse(posts[0].container) as { channel?: string }).channel : undefined;
    if (!threadId) throw new Error(`the digest posted no papers: ${String(answer.body?.content)}`);
    const afterDigest = memoryOf(pid);
    console.log(`/digest ${DATE}: "${String(answer.body?.content)}" ${messages.length} paper messages in thread ${threadId}; ${memoryLine(afterDigest)}`);

    const readers = readerCount(events, messages.length);
    const users: FakeUser[] = Array.from({ length: readers }, (_, u) => ({ id: String(600_000_000_000_000_000n + BigInt(u)), username: `reader${u}` }));
    const sentinel: FakeUser = { id: '699999999999999999', username: 'sentinel' };
    const frame = (i: number) => {
      const r = reactionAt(i, events, messages.length, readers);
      const data = fake.reactionData({ added: r.added, channelId: threadId, messageId: messages[r.message]!, user: r.user === SENTINEL ? sentinel : users[r.user]!, emoji: r.emoji });
      return { t: r.added ? 'MESSAGE_REACTION_ADD' : 'MESSAGE_REACTION_REMOVE', d: data };
    };
    const want = expected(events, messages.length, readers);
    const finalRows = want.rows[events]!;
    console.log(`${events} reaction events by ${readers} readers: 60% new votes, 10% taken back, 10% not a vote emoji, 10% a second emoji, 10% repeats; ${finalRows} reactions expected at the end`);

    // One statement, one snapshot: the row count and whether the sentinel's vote is in.
    const observe = db.prepare(`SELECT (SELECT count(*) FROM reactions) AS rows,
      (SELECT count(*) FROM reactions WHERE platform = 'discord' AND workspace = ? AND message_id = ? AND user_id = ?) AS sentinel`);
    let pushed = 0;
    let pushing: Promise<void> | undefined;
    let applied = 0; // a lower bound: the first prefix of the events that leaves as many rows as the table holds
    let lastRows = -1;
    let lastMove = performance.now();
    let highest = afterDigest.rss;
    const samples: { events: number; rss: number }[] = [];
    const step = Math.max(1, Math.floor(events / 10));
    let nextMark = step;
    const cpuBefore = cpuSecondsOf(pid);
    const started = performance.now();
    for (;;) {
      if (!pushing && pushed < events && pushed - applied < WINDOW) {
        const from = pushed;
        const count = Math.min(CHUNK, events - pushed);
        pushed += count;
        pushing = fake.gateway.dispatchMany(count, (j) => frame(from + j)).finally(() => (pushing = undefined));
      }
      const seen = observe.get(FAKE_GUILD_ID, messages[0], sentinel.id) as { rows: number; sentinel: number };
      const done = seen.sentinel > 0 && seen.rows === finalRows;
      if (done) applied = events;
      else for (let p = applied; p <= pushed; p++) if (want.rows[p] === seen.rows) { applied = p; break; }
      if (seen.rows !== lastRows) {
        lastRows = seen.rows;
        lastMove = performance.now();
      }
      const memory = memoryOf(pid);
      highest = Math.max(highest, memory.rss);
      while (nextMark <= applied) {
        const seconds = (performance.now() - started) / 1000;
        samples.push({ events: nextMark, rss: memory.rss });
        console.log(`  ${String(nextMark).padStart(7)} events  ${(nextMark / seconds).toFixed(0).padStart(6)}/s  RSS ${mb(memory.rss)}`);
        nextMark += step;
      }
      if (done) break;
      if (performance.now() - lastMove > STALL_MS) {
        throw new Error(`stalled: ${seen.rows} reactions in the database (${finalRows} expected after all ${events} events, sentinel ${seen.sentinel ? 'in' : 'not in'}), ${pushed} dispatched`);
      }
      if (paperboy.process.exitCode !== null || paperboy.process.signalCode !== null) throw new Error('Paperboy exited during the reaction events');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const seconds = (performance.now() - started) / 1000;
    const cpuAfter = cpuSecondsOf(pid);
    const end = memoryOf(pid);
    let tallies = 'not read';
    try {
      const votes = (db.prepare(`SELECT coalesce(sum(votes), 0) FROM vote_tallies WHERE scope = 'g'`).pluck().get() as number);
      tallies = votes === want.voters ? `match (${votes} distinct voter-paper pairs)` : `MISMATCH: ${votes}, expected ${want.voters}`;
    } catch (err) {
      tallies = `not read (${err instanceof Error ? err.message : String(err)})`;
    }

    console.log(`Applied all ${events} reaction events in ${seconds.toFixed(2)} s = ${(events / seconds).toFixed(0)} events/s end to end (${finalRows} reactions in the database; global tallies ${tallies})`);
    if (cpuBefore !== undefined && cpuAfter !== undefined) {
      const cpu = cpuAfter - cpuBefore;
      console.log(`Paperboy CPU: ${cpu.toFixed(2)} s = ${((cpu * 1e6) / events).toFixed(1)} µs per event (${(events / cpu).toFixed(0)} events per CPU-second, user and system, all threads)`);
    }
    const first = samples[0]?.rss ?? afterDigest.rss;
    const size = (path: string) => (existsSync(path) ? statSync(path).size : 0);
    console.log(`RSS after ${events} events: ${memoryLine(end)}; highest seen ${mb(highest)}, VmHWM ${mb(end.peak)}; database ${mb(size(databasePath))} + WAL ${mb(size(`${databasePath}-wal`))}`);
    console.log(`Flatness: ${mb(end.rss - first)} from 10% to 100% of the events, ${mb(end.rss - login.rss)} since login (under 150 MB throughout: ${end.rss < 150 * 1024 * 1024 && highest < 150 * 1024 * 1024 ? 'met' : 'not met'})`);

    const stopped = await paperboy.stop();
    console.log(`Stopped on SIGTERM in ${stopped.ms.toFixed(0)} ms: ${stopped.code === null ? `killed by ${stopped.signal}` : `exit ${stopped.code}`}`);
    console.log(`summary | flags ${nodeFlags.join(' ') || '(none)'}${viaTsx ? ' tsx' : ''} | login ${mb(login.rss)} | digest ${mb(afterDigest.rss)} | end ${mb(end.rss)} | highest ${mb(highest)} | ${(events / seconds).toFixed(0)} events/s | ${cpuBefore !== undefined && cpuAfter !== undefined ? `${(((cpuAfter - cpuBefore) * 1e6) / events).toFixed(1)} µs/event` : ''}`);
  } finally {
    db?.close();
    await child.current?.stop();
    await Promise.allSettled([fake.close(), hf.close(), arxiv.close()]);
  }
}

function count(name: string, text: string, least: number): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < least) throw new Error(`--${name} takes a whole number from ${least}, not "${text}"`);
  return n;
}

const child: { current?: Child } = {};
let dir: string | undefined;
// Whatever happens (an error, Ctrl-C), the child goes and the temporary folder with it.
process.on('exit', () => {
  const running = child.current?.process;
  if (running && running.exitCode === null && running.signalCode === null) running.kill('SIGKILL');
  if (dir) rmSync(dir, { recursive: true, force: true });
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130));

try {
  const events = count('events', values.events ?? (values.quick ? '10000' : '100000'), 10);
  const guildCount = count('guilds', values.guilds, 1);
  console.log(`Discord adapter benchmark: ${guildCount} guilds, ${events} reaction events`);
  if (!values.tsx) ensureBuild();
  const nodeFlags = values['node-flags'] !== undefined ? values['node-flags'].split(/\s+/).filter(Boolean) : values.tsx ? [] : startProdFlags();
  dir = mkdtempSync(join(tmpdir(), 'paperboy-bench-discord-'));
  await run(events, guildCount, nodeFlags, values.tsx, child, dir);
} catch (err) {
  process.stderr.write(`bench failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
}
