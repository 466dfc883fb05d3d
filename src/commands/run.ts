/**
 * Runs a command for any adapter: refuses what the invoker may not do, and turns every failure into
 * a short reply (with what to do next) instead of an exception. Unexpected errors are logged once.
 * @module
 */
import type { Logger } from 'pino';
import type { Core } from '../core/core.js';
import type { CommandRequest } from '../core/inbound.js';
import { problem, type Reply } from '../core/reply.js';
import { isPaperboyError, UpstreamError, userMessage } from '../errors.js';
import { parseArguments } from './arguments.js';
import { commands, findCommand } from './index.js';

/** Finds the command, refuses what the invoker may not do, parses the arguments once, and runs it. */
export async function runCommand(request: CommandRequest, context: { core: Core; logger?: Logger }): Promise<Reply> {
  const command = findCommand(request.name);
  if (!command) return problem(`Unknown command /${request.name.slice(0, 40)}. Try /help.`);
  if (command.requiresManage && !request.invoker.canManage) {
    return problem(`Only people who can manage this channel can use /${command.name}.`);
  }
  try {
    const args = parseArguments(command, request.input);
    return await command.execute({ args, core: context.core, invoker: request.invoker, commands, chat: request.chat });
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
  return problem(userMessage(err), isPaperboyError(err) ? err.code : 'internal');
}
