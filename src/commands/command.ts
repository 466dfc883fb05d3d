/**
 * What a command is: a name, its options, and a handler that returns a Reply. Commands know no
 * platform; the registry (index.ts) generates Discord's registration and Slack's manifest, and
 * arguments.ts parses what a platform sends into the typed values each handler receives.
 * @module
 */
import type { ChatPort } from '../core/chat-port.js';
import type { Core } from '../core/core.js';
import type { Invoker } from '../core/inbound.js';
import type { Reply } from '../core/reply.js';

export type { Invoker };

export interface CommandOption {
  readonly name: string;
  readonly description: string;
  readonly type: 'string' | 'integer';
  readonly required?: boolean;
  /** A fixed list of values: the platform offers them as choices, and text input may give them in any position. */
  readonly choices?: readonly string[];
  /** Reads a choice from looser text ("Bullets", an alias); defaults to a case-insensitive match. */
  readonly matchChoice?: (word: string) => string | undefined;
  /** Inclusive bounds of an integer option. */
  readonly min?: number;
  readonly max?: number;
  /** Values the platform can suggest while the user types. */
  readonly autocomplete?: 'language' | 'style';
}

/** The value an option's handler receives: a number for integers, one of the choices, or text. */
type ValueOf<O extends CommandOption> = O['type'] extends 'integer' ? number : O['choices'] extends readonly (infer C)[] ? C : string;

/** A command's arguments, typed from its options: required ones always present. */
export type ArgsOf<Options extends readonly CommandOption[]> = {
  readonly [O in Options[number] as O['name']]: O['required'] extends true ? ValueOf<O> : ValueOf<O> | undefined;
};

/** Arguments as the registry holds them, before a command's own options give them types. */
export type CommandArgs = Readonly<Record<string, string | number | undefined>>;

export interface CommandContext<Args = CommandArgs> {
  args: Args;
  core: Core;
  invoker: Invoker;
  /** Every registered command, for /help. */
  commands: readonly Command[];
  /** The platform the command came from, for commands that post to the channel (/digest). */
  chat?: ChatPort;
}

interface CommandBase<Options extends readonly CommandOption[]> {
  name: string;
  description: string;
  /** Shown by /help after the name: `<id or url>`. */
  usage?: string;
  options: Options;
  /** Only users who may manage the channel can run it (platforms may hide it from others too). */
  requiresManage?: boolean;
  /** The work may pass a platform's quick-answer deadline (network, LLM): adapters defer first. */
  slow?: boolean;
}

export interface Command extends CommandBase<readonly CommandOption[]> {
  execute(ctx: CommandContext): Promise<Reply>;
}

/** Declares a command; its handler gets arguments typed from its options (`args.id` is a string when required). */
export function defineCommand<const Options extends readonly CommandOption[]>(
  command: CommandBase<Options> & { execute(ctx: CommandContext<ArgsOf<Options>>): Promise<Reply> },
): Command {
  // Sound because arguments.ts builds every argument object from these same options.
  return command as unknown as Command;
}
