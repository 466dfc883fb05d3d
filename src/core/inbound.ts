/**
 * The one way in from a platform: what adapters call, declared by the core. An adapter translates its
 * events into these calls and renders the replies; it reaches no other part of the core.
 * @module
 */
import type { ChatPort, ReactionEvent } from './chat-port.js';
import type { Reply } from './reply.js';
import type { VoteOutcome } from './votes/service.js';

export type { VoteOutcome };

/** Who asked, and where. The adapter knows whether the user may manage the channel; the core enforces it. */
export interface Invoker {
  platform: string;
  workspace: string;
  channel: string;
  user: string;
  canManage: boolean;
  /**
   * The asker leaves with this one answer (a one-shot CLI call): a text still being written is waited
   * for, since "ask again in a minute" would find nothing there.
   */
  oneShot?: boolean;
}

/**
 * A command's arguments as the platform delivered them: the one line of text that Slack and the
 * terminal send (`/translate 2403.08295 ko`), or the named options that Discord sends.
 */
export type CommandInput = { text: string } | { options: readonly ReceivedOption[] };

/** One named option as a platform hands it over. */
export interface ReceivedOption {
  name: string;
  value?: string | number | boolean;
}

export interface CommandRequest {
  name: string;
  input: CommandInput;
  invoker: Invoker;
  /** The platform the command came from, for commands that post to the channel (/digest). */
  chat?: ChatPort;
}

/** What an adapter may know about a command before it runs, to meet its platform's deadlines. */
export interface CommandInfo {
  name: string;
  /** The work may pass a platform's quick-answer deadline (network, LLM): defer first. */
  slow: boolean;
  /** Only managers may run it; its answers are private. */
  requiresManage: boolean;
}

/** The paper a message carries and its votes in that channel. */
export interface MessageVotes {
  paperId: string;
  votes: number;
}

export interface Suggestion {
  name: string;
  value: string;
}

export interface Inbound {
  /** Runs a command. Never throws: a refusal or a failure is a reply that says what to do next. */
  command(request: CommandRequest): Promise<Reply>;
  /** Reports a reaction added or removed. Call it in event order; the core batches the writes. */
  reaction(event: ReactionEvent): Promise<VoteOutcome>;
  /** The command of that name, for deferring; undefined when there is none. */
  commandInfo(name: string): CommandInfo | undefined;
  /** Values to offer while the user types an option (Discord's autocomplete). */
  suggest(command: string, option: string, typed: string): Suggestion[];
  /** The paper on a posted message and its votes there; undefined when the message is not a paper. */
  messageVotes(platform: string, workspace: string, messageId: string): MessageVotes | undefined;
}
