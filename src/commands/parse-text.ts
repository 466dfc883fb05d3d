/**
 * Turns the one text argument that Slack and the terminal send (`/translate 2403.08295 ko`) into the
 * same named options that Discord sends: options take one word each in order, and the last one takes
 * the rest of the line.
 * @module
 */
import { BadInputError } from '../errors.js';
import type { Command, CommandArgs } from './command.js';
import { cutPosition } from '../core/reply-limits.js';

/** The longest argument text we read; longer input is cut here before any parsing. */
export const MAX_ARGUMENT_CHARS = 10_000;

export function usage(command: Command): string {
  return `/${command.name}${command.usage ? ` ${command.usage}` : ''}`;
}

export function parseCommandText(command: Command, raw: string): CommandArgs {
  let rest = raw.slice(0, cutPosition(raw, MAX_ARGUMENT_CHARS)).trim();
  const args: Record<string, string | undefined> = {};
  command.options.forEach((option, index) => {
    const last = index === command.options.length - 1;
    if (last) {
      args[option.name] = rest || undefined;
      rest = '';
      return;
    }
    const m = /^("([^"]*)"|\S+)\s*/.exec(rest);
    if (!m) return;
    args[option.name] = m[2] ?? m[1];
    rest = rest.slice(m[0].length);
  });
  for (const option of command.options) {
    if (option.required && !args[option.name]) throw new BadInputError(`Missing ${option.name}. Usage: ${usage(command)}`);
  }
  return args;
}
