/**
 * `paperboy import <file or folder>…`: stores papers from saved Hugging Face daily-papers JSON and arXiv
 * Atom files, many at once, in one process: files are read, validated and packed in a worker thread while
 * the previous ones are written in large transactions (core/papers/bulk-import.ts; FTS5's segments, one
 * per transaction, are merged by the running bot afterwards); the same worker builds the search index's
 * segments of the papers written (search-index/segment-feed.ts), merged as they are stored, and whatever
 * it could not (papers that changed, not new) is indexed before the import exits (index-for-search.ts).
 * A file that cannot be read or is malformed is refused with one line and nothing of it is stored; the
 * others still import, and the exit code is then 2.
 * @module
 */
import { BulkImport, IMPORT_BATCH } from '../core/papers/bulk-import.js';
import { BadInputError } from '../errors.js';
import { findImportFiles } from '../sources/import-file.js';
import { ImportReader } from '../sources/import-reader.js';
import { indexForSearch } from './index-for-search.js';
import { Progress } from './progress.js';
import type { Verb } from './verb.js';

export const importVerb: Verb = {
  name: 'import',
  usage: 'import <file or folder>…   store papers from saved HF daily-papers JSON or arXiv Atom files (folders: every .json/.xml)',
  async run(app, args, io) {
    if (args.length === 0) throw new BadInputError('import needs files or folders: paperboy import daily.json feed.xml saved/ (HF daily papers JSON, arXiv Atom)');
    const option = args.find((a) => a.startsWith('-'));
    if (option) throw new BadInputError(`import takes files and folders, not "${option.slice(0, 30)}". Run paperboy help.`);
    const { files, refused } = findImportFiles(args);
    for (const r of refused) io.stderr.write(`paperboy: ${r.message}\n`);
    if (files.length === 0) return 2; // each path was refused above, in a line of its own

    const totalBytes = files.reduce((sum, f) => sum + f.bytes, 0);
    const progress = new Progress({ stream: io.stderr, unit: 'files', total: files.length });
    const index = app.core.search.index;
    // The search index is built beside the writes from where it stands (segment-feed.ts), its segments
    // merged as they come; one it cannot store (another process indexed or stored papers meanwhile) is
    // left to the catch-up after.
    let position = index.feedStart();
    const reader = new ImportReader(files, {
      index: position && {
        totals: { papers: position.papers, tokens: position.tokens },
        onSegment: (segment) => {
          if (position) position = index.writeFed(segment, position);
        },
      },
    });
    const bulk = new BulkImport(app.core.papers, IMPORT_BATCH, (pks) => reader.placed(pks));
    let read = 0;
    let readBytes = 0;
    let queued = 0;
    let refusedFiles = refused.length;
    try {
      for await (const outcome of reader.outcomes()) {
        readBytes += files[read]!.bytes;
        read++;
        if (outcome.ok) {
          bulk.add(outcome.file);
          queued += outcome.file.papers;
        } else {
          refusedFiles++;
          progress.note(`paperboy: ${outcome.message}`);
        }
        progress.update(read, queued, totalBytes ? readBytes / totalBytes : read / files.length);
      }
      bulk.flush();
      progress.update(read, queued, 1, true);
      progress.done();
      // The reader's last search index segment.
      await reader.finish();
    } finally {
      await reader.close();
    }
    // What the reader could not index (papers that changed, or all when another process indexed meanwhile).
    indexForSearch(app, io);

    const { totals, dates } = bulk;
    const from = files.length === 1 && refusedFiles === 0 ? files[0]!.path : `${totals.files} file${totals.files === 1 ? '' : 's'}`;
    const days = [...dates].sort();
    const lists = days.length === 0 ? '' : days.length <= 3 ? `; daily lists: ${days.join(', ')}` : `; daily lists of ${days.length} days, ${days[0]} to ${days.at(-1)}`;
    io.stdout.write(`Imported ${totals.papers} papers from ${from} (${totals.inserted} new, ${totals.updated + totals.revised} updated, ${totals.unchanged} unchanged)${lists}.\n`);
    if (refusedFiles > 0) {
      io.stderr.write(`paperboy: ${refusedFiles} of ${files.length + refused.length} paths refused (named above); nothing of them was stored.\n`);
      return 2;
    }
    return totals.papers === 0 ? 1 : 0;
  },
};
