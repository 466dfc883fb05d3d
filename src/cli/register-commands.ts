/**
 * `paperboy register-commands [--guild ID]`: registers the slash commands with Discord.
 * @module
 */
import { parseArgs } from 'node:util';
import type { Verb } from './verb.js';

export const registerCommandsVerb: Verb = {
  name: 'register-commands',
  usage: 'register-commands [--guild ID]  register the slash commands with Discord (DISCORD_TOKEN, DISCORD_APP_ID)',
  async run(app, args, io) {
    const { values } = parseArgs({ args, options: { guild: { type: 'string' } }, strict: true });
    const { registerCommands } = await import('../adapters/discord/register.js');
    const result = await registerCommands({ config: app.config, guildId: values.guild });
    const where = result.scope === 'guild' ? `in server ${values.guild}` : 'globally (they may take up to an hour to show)';
    io.stdout.write(`Registered ${result.names.length} Discord commands ${where}: ${result.names.map((n) => `/${n}`).join(' ')}\n`);
    return 0;
  },
};
