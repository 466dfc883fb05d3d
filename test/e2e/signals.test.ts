import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startFakeArxiv, type FakeArxiv } from '../fakes/arxiv-server.js';
import { startFakeHf, type FakeHf } from '../fakes/hf-server.js';
import { slashCommand } from '../fakes/slack/payloads.js';
import { startFakeSocketMode, type FakeSocketMode } from '../fakes/slack/socket-mode.js';
import { startFakeSlack, type FakeSlack } from '../fakes/slack/web-api.js';

// Each test starts real processes (tsx compiles on start): give them room on a busy machine.
vi.setConfig({ testTimeout: 120_000, hookTimeout: 120_000 });

const bin = fileURLToPath(new URL('../../bin/paperboy', import.meta.url));
let dir: string;
let hf: FakeHf;
let arxiv: FakeArxiv;
let slack: FakeSlack;
let socket: FakeSocketMode;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'paperboy-signals-'));
  [hf, arxiv, slack, socket] = await Promise.all([startFakeHf(), startFakeArxiv(), startFakeSlack({ users: [{ id: 'UADMIN', name: 'ada', is_admin: true }] }), startFakeSocketMode()]);
  slack.setSocketUrl(socket.url);
});
afterAll(async () => {
  await Promise.all([hf.close(), arxiv.close(), slack.close(), socket.close()]);
  rmSync(dir, { recursive: true, force: true });
});

interface Bot {
  child: ChildProcess;
  stderr: () => string;
  exited: Promise<{ code: number | null; at: number }>;
}

/** The real process, as a supervisor starts it: Slack in Socket Mode against the fakes. */
async function startBot(): Promise<Bot> {
  const child = spawn(process.execPath, [bin, 'start'], {
    cwd: dir,
    env: {
      PATH: process.env.PATH ?? '',
      DATABASE_PATH: join(dir, 'bot.db'),
      HF_API_URL: hf.url,
      ARXIV_API_URL: `${arxiv.url}/api/query`,
      ARXIV_MIN_INTERVAL_MS: '0',
      HTTP_RETRIES: '0',
      SLACK_BOT_TOKEN: slack.botToken,
      SLACK_APP_TOKEN: slack.appToken,
      SLACK_API_URL: slack.apiUrl,
      SLACK_ADMIN_USERS: 'UADMIN',
      LOG_LEVEL: 'info',
    },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdout.resume();
  const exited = new Promise<{ code: number | null; at: number }>((resolve) => child.on('exit', (code) => resolve({ code, at: performance.now() })));
  await waitFor(() => stderr.includes('slack: connected'), () => `the bot to connect; stderr: ${stderr}`, 90_000);
  await socket.connected();
  return { child, stderr: () => stderr, exited };
}

async function waitFor(probe: () => boolean, what: () => string, timeoutMs = 60_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!probe()) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what()}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const digest = () => socket.send('slash_commands', slashCommand({ command: '/digest', text: '2024-03-14', user: 'UADMIN', responseUrl: slack.responseUrl() }));
const paperPosts = () => slack.messages.filter((m) => m.thread_ts !== undefined);
const keys = () => slack.messages.map((m) => String(m.metadata?.event_payload.key));

describe('stopping on a signal', () => {
  it('finishes the message in flight on SIGTERM and exits 0; a second SIGINT exits at once; a restart posts nothing twice', async () => {
    // Slack takes about one message a second per channel: a digest of 9 papers is under way for ~10 s.
    const first = await startBot();
    await digest();
    await waitFor(() => paperPosts().length >= 2, () => `two papers posted (${slack.messages.length} messages)`);
    const signalled = performance.now();
    first.child.kill('SIGTERM');
    const stopped = await first.exited;
    expect(stopped.code).toBe(0);
    expect(stopped.at - signalled).toBeLessThan(10_000);
    expect(first.stderr()).toContain('SIGTERM: stopping after the message in flight');
    expect(first.stderr()).not.toContain('"level":50');
    const afterFirst = paperPosts().length;
    expect(afterFirst).toBeLessThan(9);
    // Every message Slack has was recorded in the ledger before the process ended.
    const ledger = new BetterSqlite3(join(dir, 'bot.db'), { readonly: true });
    const recorded = ledger.prepare("SELECT count(*) AS n FROM posts WHERE state = 'posted' AND kind IN ('header', 'paper')").get() as { n: number };
    ledger.close();
    expect(recorded.n).toBe(slack.messages.length);

    const second = await startBot();
    await digest();
    await waitFor(() => paperPosts().length >= afterFirst + 1, () => 'one more paper after the restart');
    second.child.kill('SIGINT');
    await new Promise((resolve) => setTimeout(resolve, 50));
    const signalledAgain = performance.now();
    second.child.kill('SIGINT');
    const killed = await second.exited;
    expect(killed.code).toBe(130);
    // At once: no wait for the message in flight or the platforms (the margin is for a loaded machine).
    expect(killed.at - signalledAgain).toBeLessThan(5000);
    expect(second.stderr()).toContain('SIGINT again: exiting now');

    const third = await startBot();
    await digest();
    await waitFor(() => paperPosts().length >= 9, () => `all 9 papers (${paperPosts().length})`, 30_000);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    third.child.kill('SIGTERM');
    expect((await third.exited).code).toBe(0);

    // One header, one message per paper: nothing posted twice across three processes.
    expect(slack.messages.filter((m) => m.thread_ts === undefined)).toHaveLength(1);
    expect(paperPosts()).toHaveLength(9);
    expect(new Set(keys()).size).toBe(slack.messages.length);
  }, 300_000);
});
