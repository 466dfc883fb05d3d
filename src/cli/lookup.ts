/**
 * `paperboy paper` and `paperboy search`: the chat commands of the same name, through the inbound
 * port like any platform, printed as terminal text.
 * @module
 */
import { renderForTerminal } from '../adapters/shell/render.js';
import type { Invoker } from '../core/inbound.js';
import { exitCodeForCode } from '../errors.js';
import type { Verb } from './verb.js';

const cliInvoker: Invoker = { platform: 'shell', workspace: 'local', channel: 'cli', user: 'cli', canManage: true, oneShot: true };

function chatCommandVerb(name: 'paper' | 'search', usage: string): Verb {
  return {
    name,
    usage,
    async run(app, args, io) {
      const reply = await app.inbound.command({ name, input: { text: args.join(' ') }, invoker: cliInvoker });
      if (reply.kind === 'text' && reply.error) {
        io.stderr.write(`paperboy: ${reply.text}\n`);
        return exitCodeForCode(reply.error);
      }
      io.stdout.write(`${renderForTerminal(reply)}\n`);
      return reply.kind === 'list' && reply.items.length === 0 ? 1 : 0;
    },
  };
}

export const paperVerb = chatCommandVerb('paper', 'paper <id or url>          show one paper');
export const searchVerb = chatCommandVerb('search', 'search <query>             search stored papers (author:, since:YYYY-MM-DD, cat: filters)');
