/**
 * Votes benchmark: replays reaction events (adds and removes over 10,000 papers and 5,000 users)
 * through the real vote path into SQLite, then times `/top week`. Prints figures; asserts nothing.
 *
 *   npx tsx bench/votes.ts [--events N] [--quick] [--keep]
 */
import { mkdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { runCommand } from '../src/commands/run.js';
import type { ReactionEvent } from '../src/core/chat-port.js';
import { Core } from '../src/core/core.js';
import { openDatabase } from '../src/db/database.js';
import { createRandom } from './corpus.js';

const { values } = parseArgs({ options: { events: { type: 'string' }, quick: { type: 'boolean' }, keep: { type: 'boolean' } }, strict: false });
const EVENTS = Number(values.events ?? (values.quick ? 100_000 : 1_000_000));
const PAPERS = 10_000;
const USERS = 5_000;
const PER_DIGEST = 50;
const DAY = 86_400_000;

const dir = join(process.cwd(), 'bench', 'out');
mkdirSync(dir, { recursive: true });
const path = join(dir, `votes-${process.pid}.db`);
let clock = Date.UTC(2026, 0, 1);
const database = openDatabase(path);
const core = new Core({ database, now: () => clock });

// 10,000 papers delivered in 200 daily digests of 50, one a day, so a week holds 350 of them.
const ids = Array.from({ length: PAPERS }, (_, i) => `2601.${String(i).padStart(5, '0')}`);
core.papers.upsertMany(ids.map((id, i) => ({ id, version: 1, title: `Paper ${i}`, authors: [`Author ${i % 997}`], abstract: 'About things.' })));
const target = { platform: 'bench', workspace: 'w', channel: 'c' };
const messages: string[] = [];
for (let d = 0; d < PAPERS / PER_DIGEST; d++) {
  const ref = { ...target, digest: 'daily' as const, date: new Date(clock).toISOString().slice(0, 10) };
  const slice = ids.slice(d * PER_DIGEST, (d + 1) * PER_DIGEST);
  core.ledger.plan(ref, slice.map((paperId) => ({ kind: 'paper' as const, paperId })));
  for (const step of core.ledger.steps(ref)) {
    const id = `msg-${messages.length}`;
    core.ledger.markPosted(step.key, id, { workspace: 'w', channel: 'thread' });
    messages.push(id);
  }
  clock += DAY;
}

const random = createRandom(42);
const emojis = ['👍', '🔥', '⬆️', '❤️', '👍🏽', '🎉'];
const outcomes = { counted: 0, removed: 0, ignored: 0 };
const started = performance.now();
let lastDraw = 0;
// A busy gateway hands over many events per read: feed them in bursts of up to 500 pending.
let pending: Promise<void>[] = [];
for (let i = 0; i < EVENTS; i++) {
  if (pending.length >= 500) pending = (await Promise.all(pending), []);
  const event: ReactionEvent = {
    platform: 'bench', workspace: 'w', channel: 'thread',
    // Recent papers get most of the reactions, as in a live channel.
    messageId: messages[messages.length - 1 - Math.floor(messages.length * random() ** 3)]!,
    user: `u${Math.floor(random() * USERS)}`,
    emoji: emojis[Math.floor(random() * emojis.length)]!,
    userIsBot: random() < 0.01,
    added: random() < 0.7,
  };
  pending.push(core.votes.react(event).then((outcome) => {
    outcomes[outcome]++;
  }));
  const now = performance.now();
  if (now - lastDraw > 250 || i === EVENTS - 1) {
    lastDraw = now;
    const rate = (i + 1) / ((now - started) / 1000);
    const width = 30;
    const filled = Math.round(((i + 1) / EVENTS) * width);
    process.stderr.write(`\rreactions [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(i + 1).toLocaleString('en')}/${EVENTS.toLocaleString('en')}  ${Math.round(rate).toLocaleString('en')} events/s  ETA ${Math.round((EVENTS - i - 1) / rate)} s `);
  }
}
await Promise.all(pending);
process.stderr.write('\n');
const seconds = (performance.now() - started) / 1000;

const invoker = { ...target, user: 'u1', canManage: true };
const time = async (period: string, scope: string, runs: number) => {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const reply = await runCommand({ name: 'top', input: { options: [{ name: 'period', value: period }, { name: 'scope', value: scope }] }, invoker }, { core });
    samples.push(performance.now() - t0);
    if (reply.kind !== 'list') throw new Error('unexpected /top reply');
  }
  samples.sort((a, b) => a - b);
  const at = (q: number) => samples[Math.min(samples.length - 1, Math.floor(q * samples.length))]!.toFixed(2);
  return { p50: at(0.5), p95: at(0.95), p99: at(0.99) };
};
const week = await time('week', 'workspace', 1_000);
const weekChannel = await time('week', 'channel', 1_000);
const all = await time('all', 'global', 200);
const size = ['', '-wal'].reduce((sum, suffix) => sum + (statSync(path + suffix, { throwIfNoEntry: false })?.size ?? 0), 0);
database.close();
if (!values.keep) for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true });

const rate = EVENTS / seconds;
console.log(`
votes benchmark: ${EVENTS.toLocaleString('en')} reaction events, ${PAPERS.toLocaleString('en')} papers, ${USERS.toLocaleString('en')} users
  outcomes            ${outcomes.counted.toLocaleString('en')} counted, ${outcomes.removed.toLocaleString('en')} removed, ${outcomes.ignored.toLocaleString('en')} ignored
  events/s            ${Math.round(rate).toLocaleString('en')}   (target ≥ 20,000: ${rate >= 20_000 ? 'met' : 'MISSED'})
  /top week (ms)      p50 ${week.p50}  p95 ${week.p95}  p99 ${week.p99}   (target p95 ≤ 20: ${Number(week.p95) <= 20 ? 'met' : 'MISSED'})
  /top week channel   p50 ${weekChannel.p50}  p95 ${weekChannel.p95}  p99 ${weekChannel.p99}
  /top all global     p50 ${all.p50}  p95 ${all.p95}  p99 ${all.p99}
  database            ${(size / 1e6).toFixed(1)} MB`);
