/**
 * The running bot's heartbeat in the database: written by `paperboy start` every minute (and at a clean
 * stop), read by `paperboy health` from another process, so a supervisor can ask "is it alive?".
 * @module
 */
import type BetterSqlite3 from 'better-sqlite3';

export interface AdapterState {
  platform: string;
  connected: boolean;
}

/** What one beat says about the process. */
export interface Beat {
  pid: number;
  startedAt: number;
  beatAt: number;
  adapters: AdapterState[];
  schedulerRunning: boolean;
  scheduledTasks: number;
  stoppedAt: number | undefined;
}

export interface HeartbeatSource {
  adapters(): AdapterState[];
  schedulerRunning(): boolean;
  scheduledTasks(): number;
}

export const BEAT_INTERVAL_MS = 60_000;
/** A beat older than this means the bot is hung or gone (three missed minutes). */
export const STALE_AFTER_MS = 3 * 60_000;
/** Rows of earlier processes kept this long, then dropped at the next start. */
const KEEP_MS = 7 * 86_400_000;

/** Writes a beat now and every `intervalMs`; `stop()` writes the last one, marked stopped. */
export class HeartbeatWriter {
  private timer: NodeJS.Timeout | undefined;
  private readonly startedAt: number;

  constructor(
    private readonly sqlite: BetterSqlite3.Database,
    private readonly source: HeartbeatSource,
    private readonly options: { pid?: number; now?: () => number; intervalMs?: number; onError?: (err: unknown) => void } = {},
  ) {
    this.startedAt = this.now();
  }

  start(): void {
    this.sqlite.prepare('DELETE FROM heartbeats WHERE beat_at < ?').run(this.now() - KEEP_MS);
    this.beat();
    this.timer = setInterval(() => this.beat(), this.options.intervalMs ?? BEAT_INTERVAL_MS);
    // The beat never keeps the process alive on its own.
    this.timer.unref();
  }

  /** Writes the current state; a failure (a locked database) is reported, and the next beat tries again. */
  beat(stoppedAt?: number): void {
    try {
      const now = this.now();
      this.sqlite
        .prepare(
          `INSERT INTO heartbeats (pid, started_at, beat_at, adapters, scheduler_running, scheduled_tasks, stopped_at)
           VALUES (?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (pid) DO UPDATE SET started_at = excluded.started_at, beat_at = excluded.beat_at, adapters = excluded.adapters,
             scheduler_running = excluded.scheduler_running, scheduled_tasks = excluded.scheduled_tasks, stopped_at = excluded.stopped_at`,
        )
        .run(this.options.pid ?? process.pid, this.startedAt, now, JSON.stringify(this.source.adapters()), this.source.schedulerRunning() ? 1 : 0, this.source.scheduledTasks(), stoppedAt ?? null);
    } catch (err) {
      this.options.onError?.(err);
    }
  }

  /** Stops beating and records the clean stop, so health says "stopped" instead of "stale". */
  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.beat(this.now());
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }
}

interface BeatRow {
  pid: number;
  started_at: number;
  beat_at: number;
  adapters: string;
  scheduler_running: number;
  scheduled_tasks: number;
  stopped_at: number | null;
}

/** The newest beat, or undefined when no bot has written one (or the table is not there yet). */
export function readLatestBeat(sqlite: BetterSqlite3.Database): Beat | undefined {
  const table = sqlite.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'heartbeats'").get();
  if (!table) return undefined;
  const row = sqlite.prepare('SELECT * FROM heartbeats ORDER BY beat_at DESC LIMIT 1').get() as BeatRow | undefined;
  if (!row) return undefined;
  let adapters: AdapterState[] = [];
  try {
    adapters = JSON.parse(row.adapters) as AdapterState[];
  } catch {
    // An unreadable list counts as no adapters.
  }
  return {
    pid: row.pid, startedAt: row.started_at, beatAt: row.beat_at, adapters,
    schedulerRunning: row.scheduler_running === 1, scheduledTasks: row.scheduled_tasks, stoppedAt: row.stopped_at ?? undefined,
  };
}

export interface HealthVerdict {
  healthy: boolean;
  /** One line: why not, or what is running. */
  line: string;
}

function ago(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  return s < 120 ? `${s} s ago` : s < 7200 ? `${Math.round(s / 60)} min ago` : `${Math.round(s / 3600)} h ago`;
}

/** Healthy when the newest beat is fresh, not a stop, the scheduler runs and every adapter is connected. */
export function judgeHealth(beat: Beat | undefined, now: number, staleAfterMs = STALE_AFTER_MS): HealthVerdict {
  if (!beat) return { healthy: false, line: 'no heartbeat: the bot has not run on this database (paperboy start writes one every minute)' };
  if (beat.stoppedAt !== undefined) return { healthy: false, line: `the bot (pid ${beat.pid}) stopped ${ago(now - beat.stoppedAt)}` };
  const age = now - beat.beatAt;
  if (age > staleAfterMs) return { healthy: false, line: `heartbeat is stale: last written ${ago(age)} by pid ${beat.pid} (hung, or killed without a clean stop)` };
  const down = beat.adapters.filter((a) => !a.connected).map((a) => a.platform);
  if (down.length > 0) return { healthy: false, line: `${down.join(' and ')} not connected (heartbeat ${ago(age)}, pid ${beat.pid})` };
  if (!beat.schedulerRunning) return { healthy: false, line: `the scheduler is not running (heartbeat ${ago(age)}, pid ${beat.pid})` };
  const adapters = beat.adapters.map((a) => `${a.platform} connected`).join(', ') || 'no adapters';
  return { healthy: true, line: `ok: heartbeat ${ago(age)}, pid ${beat.pid}, ${adapters}, scheduler running (${beat.scheduledTasks} task${beat.scheduledTasks === 1 ? '' : 's'})` };
}
