/**
 * Flags of a verb with node:util's parseArgs, where a wrong flag is bad input (exit 2, one line).
 * @module
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { BadInputError } from '../errors.js';

type Options = NonNullable<ParseArgsConfig['options']>;

export function parseVerbArgs<O extends Options>(args: string[], options: O) {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: true });
  } catch (err) {
    // parseArgs explains at length; its first sentence names the problem.
    throw new BadInputError((err instanceof Error ? err.message : String(err)).split(/(?<=\.) /)[0] ?? 'Bad arguments.');
  }
}
