/**
 * `paperboy fetch --date YYYY-MM-DD`: stores one day's Hugging Face Daily Papers list.
 * @module
 */
import { parseArgs } from 'node:util';
import { BadInputError } from '../errors.js';
import type { Verb } from './verb.js';

export const fetchVerb: Verb = {
  name: 'fetch',
  usage: "fetch --date YYYY-MM-DD    store that day's Hugging Face Daily Papers list",
  async run(app, args, io) {
    const { values } = parseArgs({ args, options: { date: { type: 'string' } }, strict: true });
    if (!values.date) throw new BadInputError('fetch needs --date YYYY-MM-DD, e.g. paperboy fetch --date 2024-03-14');
    const progress = (n: number) => io.stderr.write(`\rFetching Hugging Face Daily Papers for ${values.date}… ${n} papers`);
    const result = await app.core.fetchDaily(values.date, progress);
    io.stderr.write('\n');
    io.stdout.write(`Stored ${result.papers} papers for ${result.date} (${result.inserted} new, ${result.updated + result.revised} updated, ${result.unchanged} unchanged).\n`);
    return result.papers === 0 ? 1 : 0;
  },
};
