/**
 * `paperboy backup FILE [--force]`: a consistent copy of the database, safe while the bot runs.
 * @module
 */
import { loadConfig } from '../config.js';
import { BadInputError } from '../errors.js';
import { backupDatabase } from '../ops/backup.js';
import { parseVerbArgs } from './verb-args.js';
import type { StandaloneVerb } from './verb.js';

function size(bytes: number): string {
  return bytes >= 1_048_576 ? `${(bytes / 1_048_576).toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} KB`;
}

export const backupVerb: StandaloneVerb = {
  name: 'backup',
  usage: 'backup FILE [--force]      copy the database to FILE, safely while the bot runs',
  standalone: true,
  async run(args, io) {
    const { values, positionals } = parseVerbArgs(args, { force: { type: 'boolean' } });
    const [target, ...extra] = positionals;
    if (!target || extra.length > 0) throw new BadInputError('Usage: paperboy backup FILE [--force], e.g. paperboy backup paperboy-2026-12-01.db');
    const config = loadConfig(io.env);
    let shown = -1;
    const result = await backupDatabase(config.databasePath, target, {
      force: values.force === true,
      onProgress(done) {
        const percent = Math.floor(done * 100);
        if (percent >= shown + 10 || (percent === 100 && shown !== 100)) {
          shown = percent;
          io.stderr.write(`Backing up ${config.databasePath}… ${percent}%\n`);
        }
      },
    });
    io.stdout.write(`Backed up ${size(result.bytes)} (${result.pages} pages) to ${result.file}\n`);
    return 0;
  },
};
