/**
 * The command line: `paperboy start` runs the bot; the other verbs do one job and exit with
 * 0 found, 1 not found, 2 bad input, 3 upstream unavailable, with one clear line on stderr.
 * @module
 */
import type { Readable, Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { createApp, type App } from './app.js';
import { ConfigError, loadConfig, readEnvironment } from './config.js';
import { renderForTerminal } from './adapters/shell/render.js';
import { findCommand } from './commands/index.js';
import { parseCommandText } from './commands/parse-text.js';
import type { Invoker } from './commands/command.js';
import { importFile } from './sources/import-file.js';
import { describeTextStats } from './core/texts/stats.js';
import { BadInputError, exitCodeFor, isPaperboyError, userMessage } from './errors.js';
import { startBot } from './start.js';

const USAGE = `Usage: paperboy <command>
  start                      run the bot (the terminal when no platform token is set)
  paper <id or url>          show one paper
  search <query>             search stored papers (author:, since:YYYY-MM-DD, cat: filters)
  fetch --date YYYY-MM-DD    store that day's Hugging Face Daily Papers list
  import <file>              store papers from a saved HF daily-papers JSON or arXiv Atom file
  stats                      language model calls, tokens and the cache hit rate
  register-commands [--guild ID]  register the slash commands with Discord (DISCORD_TOKEN, DISCORD_APP_ID)
Environment variables are listed in the README; none are needed to try it.`;

export interface Io {
  stdin: Readable & { isTTY?: boolean };
  stdout: Writable;
  stderr: Writable;
  env: NodeJS.ProcessEnv;
}

const cliInvoker: Invoker = { platform: 'shell', workspace: 'local', channel: 'cli', user: 'cli', canManage: true };

export async function main(argv: string[], io: Io): Promise<number> {
  const [verb = 'start', ...rest] = argv;
  if (verb === 'help' || verb === '--help' || verb === '-h') {
    io.stdout.write(`${USAGE}\n`);
    return 0;
  }
  let app: App | undefined;
  try {
    app = createApp(loadConfig(io.env));
    return await dispatch(app, verb, rest, io);
  } catch (err) {
    if (err instanceof ConfigError) {
      io.stderr.write(`paperboy: ${err.message}\n`);
      return 2;
    }
    if (isPaperboyError(err)) {
      io.stderr.write(`paperboy: ${userMessage(err)}\n`);
      return exitCodeFor(err);
    }
    io.stderr.write(`paperboy: ${err instanceof Error ? err.message : String(err)}\n`);
    app?.logger.debug({ err }, 'failed');
    return 4;
  } finally {
    await app?.close();
  }
}

async function dispatch(app: App, verb: string, rest: string[], io: Io): Promise<number> {
  switch (verb) {
    case 'start':
      await startBot(app, io);
      return 0;
    case 'paper':
    case 'search': {
      const command = findCommand(verb)!;
      const reply = await command.execute({ args: parseCommandText(command, rest.join(' ')), core: app.core, invoker: cliInvoker, commands: [] });
      io.stdout.write(`${renderForTerminal(reply)}\n`);
      return reply.kind === 'list' && reply.items.length === 0 ? 1 : 0;
    }
    case 'fetch': {
      const { values } = parseArgs({ args: rest, options: { date: { type: 'string' } }, strict: true });
      if (!values.date) throw new BadInputError('fetch needs --date YYYY-MM-DD, e.g. paperboy fetch --date 2024-03-14');
      const progress = (n: number) => io.stderr.write(`\rFetching Hugging Face Daily Papers for ${values.date}… ${n} papers`);
      const result = await app.core.fetchDaily(values.date, progress);
      io.stderr.write('\n');
      io.stdout.write(`Stored ${result.papers} papers for ${result.date} (${result.inserted} new, ${result.updated + result.revised} updated, ${result.unchanged} unchanged).\n`);
      return result.papers === 0 ? 1 : 0;
    }
    case 'import': {
      const file = rest[0];
      if (!file) throw new BadInputError('import needs a file: paperboy import daily.json (HF daily papers) or feed.xml (arXiv Atom)');
      const result = await importFile(app.core.papers, file);
      io.stdout.write(`Imported ${result.papers} papers from ${file} (${result.inserted} new, ${result.updated + result.revised} updated, ${result.unchanged} unchanged)${result.dates.length ? `; daily lists: ${result.dates.join(', ')}` : ''}.\n`);
      return result.papers === 0 ? 1 : 0;
    }
    case 'stats':
      io.stdout.write(`${describeTextStats(app.core.texts.stats())}\n`);
      return 0;
    case 'register-commands': {
      const { values } = parseArgs({ args: rest, options: { guild: { type: 'string' } }, strict: true });
      const { registerCommands } = await import('./adapters/discord/register.js');
      const result = await registerCommands({ config: app.config, guildId: values.guild });
      const where = result.scope === 'guild' ? `in server ${values.guild}` : 'globally (they may take up to an hour to show)';
      io.stdout.write(`Registered ${result.names.length} Discord commands ${where}: ${result.names.map((n) => `/${n}`).join(' ')}\n`);
      return 0;
    }
    default:
      throw new BadInputError(`Unknown command "${verb.slice(0, 30)}". Run paperboy help.`);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  process.exitCode = await main(process.argv.slice(2), { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: readEnvironment() });
}
