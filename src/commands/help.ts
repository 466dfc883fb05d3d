import { text } from '../core/reply.js';
import { defineCommand } from './command.js';

export default defineCommand({
  name: 'help',
  description: 'What Paperboy can do',
  options: [],
  async execute({ commands, invoker }) {
    const lines = commands
      .filter((c) => !c.requiresManage || invoker.canManage)
      .map((c) => `/${c.name}${c.usage ? ` ${c.usage}` : ''} — ${c.description}`);
    return text(['Paperboy delivers research papers to this channel.', '', ...lines].join('\n'), { ephemeral: true });
  },
});
