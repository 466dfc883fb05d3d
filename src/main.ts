/**
 * The command line: `paperboy start` runs the bot; the other verbs (src/cli/) do one job and exit with
 * 0 found, 1 not found, 2 bad input, 3 upstream unavailable, with one clear line on stderr.
 * @module
 */
import { pathToFileURL } from 'node:url';
import { createApp, type App } from './app.js';
import { verbs } from './cli/verbs.js';
import type { Io } from './cli/verb.js';
import { ConfigError, loadConfig, readEnvironment } from './config.js';
import { BadInputError, exitCodeFor, isPaperboyError, userMessage } from './errors.js';

export type { Io };

function usage(): string {
  return `Usage: paperboy <command>\n${verbs.map((v) => `  ${v.usage}`).join('\n')}\nEnvironment variables are listed in the README; none are needed to try it.`;
}

export async function main(argv: string[], io: Io): Promise<number> {
  const [name = 'start', ...rest] = argv;
  if (name === 'help' || name === '--help' || name === '-h') {
    io.stdout.write(`${usage()}\n`);
    return 0;
  }
  // A reader that stops early (`paperboy doctor | head`) ends the output, not the process with a stack.
  io.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') io.stderr.write(`paperboy: cannot write the output (${err.message})\n`);
  });
  let app: App | undefined;
  try {
    const verb = verbs.find((v) => v.name === name);
    if (!verb) throw new BadInputError(`Unknown command "${name.slice(0, 30)}". Run paperboy help.`);
    if (verb.standalone) return await verb.run(rest, io);
    app = createApp(loadConfig(io.env));
    return await verb.run(app, rest, io);
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

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  process.exitCode = await main(process.argv.slice(2), { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: readEnvironment() });
}
