/**
 * `paperboy health [--json]`: for supervisors (Docker's HEALTHCHECK, systemd, a process manager). Exit 0
 * when the running bot's heartbeat is fresh, its adapters are connected and its scheduler runs; 1 with
 * one line saying why otherwise.
 * @module
 */
import { loadConfig } from '../config.js';
import { judgeHealth, readLatestBeat } from '../ops/heartbeat.js';
import { openReadOnly } from '../ops/read-only-db.js';
import { parseVerbArgs } from './verb-args.js';
import type { StandaloneVerb } from './verb.js';

export const healthVerb: StandaloneVerb = {
  name: 'health',
  usage: 'health [--json]            exit 0 when the running bot is alive (fresh heartbeat, adapters connected)',
  standalone: true,
  run(args, io) {
    const { values } = parseVerbArgs(args, { json: { type: 'boolean' } });
    const config = loadConfig(io.env);
    const now = Date.now();
    let verdict: ReturnType<typeof judgeHealth>;
    let beat: ReturnType<typeof readLatestBeat>;
    try {
      const sqlite = openReadOnly(config.databasePath);
      try {
        beat = readLatestBeat(sqlite);
      } finally {
        sqlite.close();
      }
      verdict = judgeHealth(beat, now);
    } catch (err) {
      verdict = { healthy: false, line: err instanceof Error ? err.message : String(err) };
    }
    if (values.json) io.stdout.write(`${JSON.stringify({ healthy: verdict.healthy, reason: verdict.line, heartbeat: beat ?? null, checkedAt: now })}\n`);
    else if (verdict.healthy) io.stdout.write(`${verdict.line}\n`);
    else io.stderr.write(`paperboy: unhealthy: ${verdict.line}\n`);
    return Promise.resolve(verdict.healthy ? 0 : 1);
  },
};
