/**
 * Runs a command for any adapter: refuses what the invoker may not do, and turns every failure into
 * a short reply (with what to do next) instead of an exception. Unexpected errors are logged once.
 * @module
 */
import type { Logger } from 'pino';
import type { ChatPort } from '../core/chat-port.js';
import type { Core } from '../core/core.js';
import { problem, type Reply } from '../core/reply.js';
import { isPaperboyError, UpstreamError, userMessage } from '../errors.js';
import type { CommandArgs, Invoker } from './command.js';
import { commands, findCommand } from './index.js';

export async function runCommand(
  name: string,
  args: CommandArgs,
  context: { core: Core; invoker: Invoker; logger?: Logger; chat?: ChatPort },
): Promise<Reply> {
  const command = findCommand(name);
  if (!command) return problem(`Unknown command /${name.slice(0, 40)}. Try /help.`);
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
  } else if (!isPaperboyError(err)) {
    logger?.error({ err }, 'command failed');
  }
  return problem(userMessage(err));
}
