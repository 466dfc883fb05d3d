/**
 * The core's inbound port, implemented over the command registry and the vote path: every adapter,
 * the terminal and the CLI verbs come in here.
 * @module
 */
import type { Core } from '../core/core.js';
import type { CommandInput, CommandRequest, Inbound } from '../core/inbound.js';
import type { ReactionEvent } from '../core/chat-port.js';
import { wellFormedText } from '../strings.js';
import type { Logger } from '../logger.js';
import { findCommand } from './index.js';
import { runCommand } from './run.js';
import { suggestionsFor } from './suggestions.js';

export function createInbound(core: Core, logger?: Logger): Inbound {
  return {
    command: (request) => runCommand(wellFormedRequest(request), { core, logger }),
    reaction: (event) => core.votes.react(wellFormedReaction(event)),
    commandInfo(name) {
      const command = findCommand(name);
      return command && { name: command.name, slow: command.slow === true, requiresManage: command.requiresManage === true };
    },
    suggest(commandName, optionName, typed) {
      const option = findCommand(commandName)?.options.find((o) => o.name === optionName);
      return option?.autocomplete ? suggestionsFor(option.autocomplete, wellFormedText(typed)) : [];
    },
    messageVotes(platform, workspace, messageId) {
      const message = core.ledger.paperMessage(platform, workspace, messageId);
      return message && { paperId: message.paperId, votes: core.votes.teamVotes(message.paperId, message) };
    },
  };
}

/**
 * Platform text is made well-formed here, where it enters: a lone surrogate from a client becomes
 * U+FFFD before any command reads it, so it is never echoed in a reply or stored.
 */
function wellFormedRequest(request: CommandRequest): CommandRequest {
  const input: CommandInput = 'text' in request.input
    ? { text: wellFormedText(request.input.text) }
    : { options: request.input.options.map((o) => (typeof o.value === 'string' ? { ...o, value: wellFormedText(o.value) } : o)) };
  return { ...request, name: wellFormedText(request.name), input };
}

/** A reaction's emoji name is platform text too; the event is kept as it is when it is already well-formed. */
function wellFormedReaction(event: ReactionEvent): ReactionEvent {
  const emoji = wellFormedText(event.emoji);
  return emoji === event.emoji ? event : { ...event, emoji };
}
