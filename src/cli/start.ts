/**
 * `paperboy start`: runs the bot until end of input (terminal) or a signal.
 * @module
 */
import { parseArgs } from 'node:util';
import { startBot } from '../start.js';
import type { Verb } from './verb.js';

export const startVerb: Verb = {
  name: 'start',
  usage: 'start                      run the bot (the terminal when no platform token is set)',
  async run(app, args, io) {
    parseArgs({ args, options: {}, strict: true });
    await startBot(app, io);
    return 0;
  },
};
