/**
 * node:util's parseArgs refuses unknown options, missing values and stray positionals with a TypeError
 * whose `code` is ERR_PARSE_ARGS_*. For the CLI that is bad input (exit 2): one line saying what was
 * wrong and how the verb is used.
 * @module
 */
import { BadInputError } from '../errors.js';

export function isParseArgsError(err: unknown): err is TypeError & { code: string } {
  const code: unknown = err instanceof TypeError ? (err as unknown as { code?: unknown }).code : undefined;
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS_');
}

/** The parse error as bad input: its first sentence (`Unknown option '--dat'`) and the verb's usage. */
export function badArguments(err: TypeError, usage: string): BadInputError {
  const what = err.message.split(/\.\s|\n/)[0]!.replace(/\.$/, '').slice(0, 120);
  return new BadInputError(`${what}. Usage: paperboy ${usage.split(/\s{2,}/)[0]}`);
}
