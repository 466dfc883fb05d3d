/**
 * `paperboy stats`: language model calls, tokens and the text cache's hit rate.
 * @module
 */
import { parseArgs } from 'node:util';
import { describeTextStats } from '../core/texts/stats.js';
import type { Verb } from './verb.js';

export const statsVerb: Verb = {
  name: 'stats',
  usage: 'stats                      language model calls, tokens and the cache hit rate',
  run(app, args, io) {
    parseArgs({ args, options: {}, strict: true });
    io.stdout.write(`${describeTextStats(app.core.texts.stats())}\n`);
    return Promise.resolve(0);
  },
};
