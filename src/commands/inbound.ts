/**
 * The core's inbound port, implemented over the command registry and the vote path: every adapter,
 * the terminal and the CLI verbs come in here.
 * @module
 */
import type { Core } from '../core/core.js';
import type { Inbound } from '../core/inbound.js';
import type { Logger } from '../logger.js';
import { findCommand } from './index.js';
import { runCommand } from './run.js';
import { suggestionsFor } from './suggestions.js';

export function createInbound(core: Core, logger?: Logger): Inbound {
  return {
    command: (request) => runCommand(request, { core, logger }),
    reaction: (event) => core.votes.react(event),
    commandInfo(name) {
      const command = findCommand(name);
      return command && { name: command.name, slow: command.slow === true, requiresManage: command.requiresManage === true };
    },
    suggest(commandName, optionName, typed) {
      const option = findCommand(commandName)?.options.find((o) => o.name === optionName);
      return option?.autocomplete ? suggestionsFor(option.autocomplete, typed) : [];
    },
    messageVotes(platform, workspace, messageId) {
      const message = core.ledger.paperMessage(platform, workspace, messageId);
      return message && { paperId: message.paperId, votes: core.votes.teamVotes(message.paperId, message) };
    },
  };
}
