import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { runNode, type Result } from '../helpers/run-node.js';
import { startLoopback } from '../fakes/loopback.js';

// Each test starts real processes (tsx compiles on start): give them room on a busy machine.
vi.setConfig({ testTimeout: 120_000, hookTimeout: 120_000 });

const bin = fileURLToPath(new URL('../../bin/paperboy', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'paperboy-logs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function start(input: string, env: Record<string, string>): Promise<Result> {
  return runNode([bin, 'start'], dir, input, { DATABASE_PATH: join(dir, 'logs.db'), HTTP_RETRIES: '0', ...env });
}

describe('logs in a terminal', () => {
  it('an ordinary failure prints the one-line answer and one readable log line, no JSON and no stack', async () => {
    const dead = await startLoopback(() => ({ status: 200, body: '' }));
    await dead.close();
    const run = await start('/paper 2403.08295\n', { HF_API_URL: dead.url, ARXIV_API_URL: `${dead.url}/api/query`, LOG_FORMAT: 'pretty' });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/is unavailable right now: could not reach [\s\S]*Try again in a few\s+minutes\./);
    const lines = run.stderr.trim().split('\n');
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(line).toMatch(/^\d\d:\d\d:\d\d (INFO|WARN) {2}/);
    expect(run.stderr).toMatch(/WARN {2}upstream failed: .*(ECONNREFUSED|could not reach)/i);
    expect(run.stderr).not.toContain('{"level"');
    expect(run.stderr).not.toMatch(/^\s+at /m);
  }, 60_000);
});
