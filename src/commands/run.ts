/**
 * Runs a command for any adapter: refuses what the invoker may not do, and turns every failure into
 * a short reply (with what to do next) instead of an exception. Unexpected errors are logged once.
 * @module
 */
import type { Logger } from 'pino';
import type { ChatPort } from '../core/chat-port.js';
import type { Core } from '../core/core.js';
import { problem, type Reply } from '../core/reply.js';
import { isPaperboyError, UpstreamError } from '../errors.js';
import type { CommandArgs, Invoker } from './command.js';
import { commands, findCommand } from './index.js';
import { quote } from '../core/reply-limits.js';

const SOURCE_NAMES = { huggingface: 'Hugging Face', arxiv: 'arXiv', llm: 'The language model', discord: 'Discord', slack: 'Slack' } as const;

export async function runCommand(
  name: string,
  args: CommandArgs,
  context: { core: Core; invoker: Invoker; logger?: Logger; chat?: ChatPort },
): Promise<Reply> {
  const command = findCommand(name);
  if (!command) return problem(`Unknown command /${quote(name, 40)}. Try /help.`);
  if (command.requiresManage && !context.invoker.canManage) {
    return problem(`Only people who can manage this channel can use /${command.name}.`);
  }
  try {
    return await command.execute({ args, core: context.core, invoker: context.invoker, commands, chat: context.chat });
  } catch (err) {
    return replyForError(err, context.logger);
  }
}

export function replyForError(err: unknown, logger?: Logger): Reply {
  if (err instanceof UpstreamError) {
    logger?.warn({ err, source: err.source, status: err.status }, 'upstream failed');
    return problem(`${SOURCE_NAMES[err.source]} is unavailable right now (${err.message}). Try again in a few minutes.`);
  }
  if (isPaperboyError(err)) return problem(err.message);
  logger?.error({ err }, 'command failed');
  return problem('Something went wrong on our side; it has been logged. Try again, or /help.');
}
