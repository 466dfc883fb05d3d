import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/database.js';
import { HeartbeatWriter, judgeHealth, readLatestBeat, STALE_AFTER_MS, type AdapterState } from '../../src/ops/heartbeat.js';
import { openReadOnly } from '../../src/ops/read-only-db.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempDb(): string {
  const dir = mkdtempSync(join(tmpdir(), 'paperboy-beat-'));
  dirs.push(dir);
  return join(dir, 'bot.db');
}

describe('heartbeat', () => {
  it('is written by the bot and read by another connection, and judged by age, adapters and scheduler', () => {
    const path = tempDb();
    const bot = openDatabase(path);
    let clock = Date.UTC(2026, 11, 1, 12, 0, 0);
    let adapters: AdapterState[] = [{ platform: 'discord', connected: true }, { platform: 'slack', connected: true }];
    let running = true;
    const writer = new HeartbeatWriter(bot.sqlite, { adapters: () => adapters, schedulerRunning: () => running, scheduledTasks: () => 3 }, { pid: 4242, now: () => clock });
    writer.start();

    const reader = openReadOnly(path);
    expect(judgeHealth(readLatestBeat(reader), clock + 30_000)).toEqual({ healthy: true, line: 'ok: heartbeat 30 s ago, pid 4242, discord connected, slack connected, scheduler running (3 tasks)' });
    expect(judgeHealth(readLatestBeat(reader), clock + STALE_AFTER_MS + 1000).line).toMatch(/^heartbeat is stale: last written 3 min ago by pid 4242/);

    adapters = [{ platform: 'discord', connected: true }, { platform: 'slack', connected: false }];
    clock += 60_000;
    writer.beat();
    expect(judgeHealth(readLatestBeat(reader), clock)).toMatchObject({ healthy: false, line: 'slack not connected (heartbeat 0 s ago, pid 4242)' });

    adapters = [{ platform: 'discord', connected: true }];
    running = false;
    writer.beat();
    expect(judgeHealth(readLatestBeat(reader), clock).line).toBe('the scheduler is not running (heartbeat 0 s ago, pid 4242)');

    clock += 5000;
    writer.stop();
    expect(judgeHealth(readLatestBeat(reader), clock + 60_000)).toEqual({ healthy: false, line: 'the bot (pid 4242) stopped 60 s ago' });
    reader.close();
    bot.close();
  });

  it('says there is no heartbeat on a database the bot never ran on', () => {
    const path = tempDb();
    openDatabase(path).close();
    const reader = openReadOnly(path);
    expect(readLatestBeat(reader)).toBeUndefined();
    expect(judgeHealth(undefined, Date.now()).line).toMatch(/^no heartbeat/);
    reader.close();
    expect(() => openReadOnly(join(tmpdir(), 'paperboy-missing', 'x.db'))).toThrow(/^No database at/);
  });
});
