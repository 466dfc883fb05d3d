/**
 * What a platform sends, parsed once into a command's typed arguments, from the command's own options:
 * the one line of text of Slack and the terminal, or Discord's named options. Integers become numbers,
 * choices are checked, required options must be there; anything else is a BadInputError that says so.
 * @module
 */
import type { CommandInput, ReceivedOption } from '../core/inbound.js';
import { BadInputError } from '../errors.js';
import type { Command, CommandArgs, CommandOption } from './command.js';

/** The longest argument text we read; longer input is cut here before any parsing. */
export const MAX_ARGUMENT_CHARS = 10_000;

export function usage(command: Command): string {
  return `/${command.name}${command.usage ? ` ${command.usage}` : ''}`;
}

export function parseArguments(command: Command, input: CommandInput): CommandArgs {
  const raw = 'text' in input ? fromText(command, input.text) : fromOptions(command, input.options);
  const args: Record<string, string | number | undefined> = {};
  for (const option of command.options) {
    const value = raw.get(option.name)?.slice(0, MAX_ARGUMENT_CHARS).trim();
    if (!value) {
      if (option.required) throw new BadInputError(`Missing ${option.name}. Usage: ${usage(command)}`);
      continue;
    }
    args[option.name] = typed(command, option, value);
  }
  return args;
}

function typed(command: Command, option: CommandOption, value: string): string | number {
  if (option.type === 'integer') {
    if (!/^\d{1,9}$/.test(value)) throw new BadInputError(`${option.name} must be a whole number. Usage: ${usage(command)}`);
    const n = Number(value);
    if ((option.min !== undefined && n < option.min) || (option.max !== undefined && n > option.max)) {
      throw new BadInputError(`${option.name} must be between ${option.min ?? 0} and ${option.max ?? '…'}.`);
    }
    return n;
  }
  if (option.choices) {
    const choice = matchChoice(option, value);
    if (!choice) throw new BadInputError(`${option.name} must be one of ${option.choices.join(', ')}.`);
    return choice;
  }
  return value;
}

function matchChoice(option: CommandOption, word: string): string | undefined {
  if (option.matchChoice) return option.matchChoice(word);
  const folded = word.toLowerCase();
  return option.choices?.find((c) => c.toLowerCase() === folded);
}

/** Discord's options by name; a number Discord sent for an integer stays exact. */
function fromOptions(command: Command, received: readonly ReceivedOption[]): Map<string, string> {
  const values = new Map<string, string>();
  for (const option of command.options) {
    const value = received.find((r) => r.name === option.name)?.value;
    if (value === undefined) continue;
    if (option.type === 'integer' && (typeof value !== 'number' || !Number.isInteger(value))) {
      throw new BadInputError(`${option.name} must be a whole number. Usage: ${usage(command)}`);
    }
    values.set(option.name, String(value));
  }
  return values;
}

/**
 * One line of text: a word that is one of an option's choices fills that option wherever it stands
 * ("/top global month", "/paper 2403.08295 bullets ko"); the options without choices take one word
 * each (or a "quoted phrase") in order, and the last of them takes the rest of the line.
 */
function fromText(command: Command, text: string): Map<string, string> {
  const line = text.slice(0, MAX_ARGUMENT_CHARS);
  const words = tokens(line);
  const values = new Map<string, string>();
  const chosen = new Set<Word>();
  for (const option of command.options) {
    if (!option.choices) continue;
    const word = words.find((w) => !chosen.has(w) && !w.quoted && matchChoice(option, w.text) !== undefined);
    if (!word) continue;
    chosen.add(word);
    values.set(option.name, word.text);
  }
  const free = words.filter((w) => !chosen.has(w));
  const open = command.options.filter((o) => !o.choices);
  open.forEach((option, index) => {
    if (free.length === 0) return;
    if (index < open.length - 1) values.set(option.name, free.shift()!.text);
    else values.set(option.name, rest(line, free.splice(0), chosen));
  });
  if (free.length > 0) {
    // A word meant for a choice that matches none of them: say what the choices are.
    const unfilled = command.options.find((o) => o.choices && !values.has(o.name));
    if (unfilled?.choices) throw new BadInputError(`${unfilled.name} must be one of ${unfilled.choices.join(', ')}.`);
    throw new BadInputError(`Too many words: "${free.map((w) => w.text).join(' ').slice(0, 40)}" is not an option. Usage: ${usage(command)}`);
  }
  return values;
}

interface Word {
  text: string;
  quoted: boolean;
  start: number;
  end: number;
}

function tokens(line: string): Word[] {
  // A Slack link (`<https://arxiv.org/abs/1605.08386|Heat-bath paper>`) is one word, spaces and all.
  return [...line.matchAll(/"([^"]*)"|<[^<>\s][^<>]*>\S*|\S+/g)].map((m) => ({
    text: m[1] ?? m[0], quoted: m[1] !== undefined, start: m.index, end: m.index + m[0].length,
  }));
}

/** The rest of the line as typed (quotes and spacing kept), less any choice words standing inside it. */
function rest(line: string, words: Word[], chosen: ReadonlySet<Word>): string {
  const first = words[0]!;
  const last = words.at(-1)!;
  const inside = [...chosen].some((w) => w.start > first.start && w.start < last.end);
  return inside ? words.map((w) => line.slice(w.start, w.end)).join(' ') : line.slice(first.start, last.end);
}
