/**
 * `paperboy paper` and `paperboy search`: the chat commands of the same name, printed as terminal text.
 * @module
 */
import { renderForTerminal } from '../adapters/shell/render.js';
import type { Invoker } from '../commands/command.js';
import { findCommand } from '../commands/index.js';
import { parseCommandText } from '../commands/parse-text.js';
import { wellFormedText } from '../strings.js';
import type { Verb } from './verb.js';

const cliInvoker: Invoker = { platform: 'shell', workspace: 'local', channel: 'cli', user: 'cli', canManage: true };

function chatCommandVerb(name: 'paper' | 'search', usage: string): Verb {
  return {
    name,
    usage,
    async run(app, args, io) {
      const command = findCommand(name)!;
      const reply = await command.execute({ args: parseCommandText(command, wellFormedText(args.join(' '))), core: app.core, invoker: cliInvoker, commands: [] });
      io.stdout.write(`${renderForTerminal(reply)}\n`);
      return reply.kind === 'list' && reply.items.length === 0 ? 1 : 0;
    },
  };
}

export const paperVerb = chatCommandVerb('paper', 'paper <id or url>          show one paper');
export const searchVerb = chatCommandVerb('search', 'search <query>             search stored papers (author:, since:YYYY-MM-DD, cat: filters)');
