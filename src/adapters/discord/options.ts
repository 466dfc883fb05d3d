/**
 * A slash command's options as Discord sends them, turned into the named text arguments every command
 * takes, and checked against the command's definition (required, choices, length) before it runs.
 * @module
 */
import type { Command, CommandArgs } from '../../commands/command.js';
import { MAX_ARGUMENT_CHARS, usage } from '../../commands/parse-text.js';
import { BadInputError } from '../../errors.js';
import { wellFormedText } from '../../strings.js';

/** One option as discord.js hands it over (`interaction.options.data`). */
export interface ReceivedOption {
  name: string;
  value?: string | number | boolean;
}

/** The command's arguments by name, as text; a BadInputError that says what is wrong otherwise. */
export function readOptions(command: Command, received: readonly ReceivedOption[]): CommandArgs {
  const args: Record<string, string | undefined> = {};
  for (const option of command.options) {
    const raw = received.find((r) => r.name === option.name)?.value;
    const value = raw === undefined ? '' : wellFormedText(String(raw).slice(0, MAX_ARGUMENT_CHARS)).trim();
    if (!value) {
      if (option.required) throw new BadInputError(`Missing ${option.name}. Usage: ${usage(command)}`);
      continue;
    }
    if (option.type === 'integer' && (typeof raw !== 'number' || !Number.isInteger(raw))) {
      throw new BadInputError(`${option.name} must be a whole number. Usage: ${usage(command)}`);
    }
    if (option.choices && !option.choices.includes(value)) {
      throw new BadInputError(`${option.name} must be one of ${option.choices.join(', ')}.`);
    }
    args[option.name] = value;
  }
  return args;
}
