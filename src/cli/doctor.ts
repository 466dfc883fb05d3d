/**
 * `paperboy doctor [--json]`: checks the setup in order and prints a checklist with the fix for each
 * failure; exit 0 when every check passes, 1 otherwise. It changes nothing.
 * @module
 */
import { checkLine, summaryLine } from '../doctor/report.js';
import { runDoctor } from '../doctor/run.js';
import { parseVerbArgs } from './verb-args.js';
import type { StandaloneVerb } from './verb.js';

export const doctorVerb: StandaloneVerb = {
  name: 'doctor',
  usage: 'doctor [--json]            check configuration, database, sources, LLM, Discord and Slack; print fixes',
  standalone: true,
  async run(args, io) {
    const { values } = parseVerbArgs(args, { json: { type: 'boolean' } });
    // Lines appear as each check finishes: a slow endpoint shows where the doctor is waiting.
    const results = await runDoctor(io.env, values.json ? undefined : (r) => io.stdout.write(`${checkLine(r)}\n`));
    const passed = results.every((r) => r.status !== 'fail');
    if (values.json) io.stdout.write(`${JSON.stringify({ ok: passed, checks: results })}\n`);
    else io.stdout.write(`${summaryLine(results)}\n`);
    return passed ? 0 : 1;
  },
};
