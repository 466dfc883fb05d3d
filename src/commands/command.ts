/**
 * What a command is: a name, its options, and a handler that returns a Reply. Commands know no
 * platform; adapters register them, parse their options and render their replies.
 * @module
 */
import type { ChatPort } from '../core/chat-port.js';
import type { Core } from '../core/core.js';
import type { Reply } from '../core/reply.js';

export interface CommandOption {
  name: string;
  description: string;
  type: 'string' | 'integer';
  required?: boolean;
  /** A fixed list of values the platform can offer as choices. */
  choices?: readonly string[];
  /** Values the platform can suggest while the user types. */
  autocomplete?: 'language' | 'style';
}

/** Who asked, and where. The adapter knows whether the user may manage the channel; the core enforces it. */
export interface Invoker {
  platform: string;
  workspace: string;
  channel: string;
  user: string;
  canManage: boolean;
}

export type CommandArgs = Readonly<Record<string, string | undefined>>;

export interface CommandContext {
  args: CommandArgs;
  core: Core;
  invoker: Invoker;
  /** Every registered command, for /help. */
  commands: readonly Command[];
  /** The platform the command came from, for commands that post to the channel (/digest). */
  chat?: ChatPort;
}

export interface Command {
  name: string;
  description: string;
  /** Shown by /help after the name: `<id or url>`. */
  usage?: string;
  options: readonly CommandOption[];
  /** Only users who may manage the channel can run it (platforms may hide it from others too). */
  requiresManage?: boolean;
  /** The work may pass a platform's quick-answer deadline (network, LLM): adapters defer first. */
  slow?: boolean;
  execute(ctx: CommandContext): Promise<Reply>;
}
