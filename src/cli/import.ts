/**
 * `paperboy import <file>`: stores papers from a saved Hugging Face daily-papers JSON or arXiv Atom file.
 * @module
 */
import { BadInputError } from '../errors.js';
import { importFile } from '../sources/import-file.js';
import type { Verb } from './verb.js';

export const importVerb: Verb = {
  name: 'import',
  usage: 'import <file>              store papers from a saved HF daily-papers JSON or arXiv Atom file',
  async run(app, args, io) {
    const file = args[0];
    if (!file) throw new BadInputError('import needs a file: paperboy import daily.json (HF daily papers) or feed.xml (arXiv Atom)');
    const result = await importFile(app.core.papers, file);
    io.stdout.write(`Imported ${result.papers} papers from ${file} (${result.inserted} new, ${result.updated + result.revised} updated, ${result.unchanged} unchanged)${result.dates.length ? `; daily lists: ${result.dates.join(', ')}` : ''}.\n`);
    return result.papers === 0 ? 1 : 0;
  },
};
