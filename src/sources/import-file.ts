/**
 * Reads files saved to disk for `paperboy import`: Hugging Face daily-papers JSON answers and arXiv Atom
 * feeds, and the folders holding them. A file is read and validated whole before anything of it is
 * stored, so a malformed file is refused with one line naming it and leaves nothing half-stored.
 * @module
 */
import { closeSync, openSync, readdirSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { BadInputError, PaperboyError } from '../errors.js';
import { collapseWhitespace, isIsoDate } from '../strings.js';
import { parseAtom } from './arxiv.js';
import { parseDailyPapers, type SkippedEntry } from './hf.js';
import { parseJsonBytes } from './json-bytes.js';
import type { ImportedFile } from '../core/papers/bulk-import.js';
import { enteredAtMs, packPapers } from '../core/papers/packed-papers.js';
import type { DailyEntry, PaperRecord } from '../core/papers/record.js';

/** One file, read, validated and packed for the writer: its Hugging Face daily lists, and papers of no list (Atom). */
export interface ParsedFile extends ImportedFile {
  path: string;
}

/** A path given to import that cannot be used, with the one line that says why. */
export interface Refusal {
  path: string;
  message: string;
}

const IMPORTABLE = /\.(json|xml)$/i;

/**
 * The files behind the paths given: files as they are, folders walked (sorted, subfolders too) for
 * .json and .xml files. Paths that do not exist, and folders with nothing to import, are refused.
 */
export function findImportFiles(paths: readonly string[]): { files: { path: string; bytes: number }[]; refused: Refusal[] } {
  const files: { path: string; bytes: number }[] = [];
  const refused: Refusal[] = [];
  const seen = new Set<string>();
  const add = (path: string, bytes: number) => {
    if (seen.has(path)) return;
    seen.add(path);
    files.push({ path, bytes });
  };
  const walk = (dir: string): number => {
    let found = 0;
    const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) found += walk(path);
      else if (entry.isFile() && IMPORTABLE.test(entry.name)) {
        add(path, statSync(path).size);
        found++;
      }
    }
    return found;
  };
  for (const path of paths) {
    try {
      const stat = statSync(path);
      if (stat.isDirectory()) {
        if (walk(path) === 0) refused.push({ path, message: `${path}: no .json or .xml files in this folder.` });
      } else add(path, stat.size);
    } catch (err) {
      refused.push({ path, message: cannotRead(path, err) });
    }
  }
  return { files, refused };
}

/** Reads and validates one file; throws BadInputError with one line naming it. */
export function parseImportFile(path: string): ParsedFile {
  let bytes: Buffer;
  try {
    bytes = readWhole(path);
  } catch (err) {
    throw new BadInputError(cannotRead(path, err));
  }
  return parseImportBytes(path, bytes);
}

/** One buffer for every file read: a new one per file costs more (fresh memory) than the read itself. */
let readBuffer = Buffer.allocUnsafe(1 << 20);

/** The bytes of the file at `path`, in the shared read buffer: valid until the next call. */
function readWhole(path: string): Buffer {
  const fd = openSync(path, 'r');
  try {
    let length = 0;
    for (;;) {
      if (length === readBuffer.length) {
        const larger = Buffer.allocUnsafe(readBuffer.length * 2);
        readBuffer.copy(larger);
        readBuffer = larger;
      }
      const got = readSync(fd, readBuffer, length, readBuffer.length - length, null);
      if (got === 0) return readBuffer.subarray(0, length);
      length += got;
    }
  } finally {
    closeSync(fd);
  }
}

/** Validates the bytes of a saved file named `path` (see parseImportFile). */
export function parseImportBytes(path: string, bytes: Buffer): ParsedFile {
  // Editors on Windows save UTF-8 with a byte-order mark; JSON.parse and the XML parser refuse it.
  const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  let at = bom;
  while (at < bytes.length && (bytes[at] === 0x20 || bytes[at] === 0x0a || bytes[at] === 0x0d || bytes[at] === 0x09)) at++;
  const first = String.fromCharCode(bytes[at] ?? 0);
  try {
    if (first === '<') {
      const { entries } = parseAtom(bytes.toString('utf8', bom));
      return { path, ...packFile([], entries) };
    }
    if (first === '[' || first === '{') {
      // A file is stored whole or not at all: one entry in another shape refuses the file.
      const refuse = (skipped: SkippedEntry): never => {
        throw new BadInputError(`${path}: entry ${skipped.position}${skipped.id ? ` (${skipped.id})` : ''} is not a Hugging Face daily-papers entry (${skipped.reason}); nothing of the file was stored.`);
      };
      return byDay(path, parseDailyPapers(parseJsonBytes(bytes), undefined, refuse));
    }
  } catch (err) {
    if (err instanceof PaperboyError && err.code === 'bad_input') throw err;
    const why = err instanceof Error ? collapseWhitespace(err.message).slice(0, 120) : 'unreadable';
    throw new BadInputError(`${path} is not a Hugging Face daily-papers JSON or an arXiv Atom feed (${why}).`);
  }
  throw new BadInputError(`${path} is neither JSON nor XML. Save an HF /api/daily_papers answer or an arXiv API answer.`);
}

function byDay(path: string, entries: DailyEntry[]): ParsedFile {
  const days = new Map<string, DailyEntry[]>();
  const records: PaperRecord[] = [];
  for (const entry of entries) {
    if (!isIsoDate(entry.date)) {
      records.push(entry.paper);
      continue;
    }
    let day = days.get(entry.date);
    if (!day) days.set(entry.date, (day = []));
    day.push(entry);
  }
  return { path, ...packFile([...days], records) };
}

/** The lists' papers packed day after day, then the records of no list. */
function packFile(days: [string, DailyEntry[]][], records: PaperRecord[]): ImportedFile {
  const file: ImportedFile = { packed: { values: [], count: 0 }, days: [], recordsFrom: 0, papers: 0 };
  for (const [date, list] of days) {
    const from = file.packed.count;
    packPapers(list.map((e) => e.paper), file.packed);
    file.days.push({ date, from, to: file.packed.count, enteredAt: list.map((e) => enteredAtMs(date, e.enteredAt)) });
  }
  file.recordsFrom = file.packed.count;
  packPapers(records, file.packed);
  file.papers = file.packed.count;
  return file;
}

function cannotRead(path: string, err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  const why = code === 'ENOENT' ? 'no such file or folder' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'a folder' : (code ?? 'unreadable');
  return `Cannot read ${path}: ${why}. Give saved .json or .xml files, or folders of them.`;
}
