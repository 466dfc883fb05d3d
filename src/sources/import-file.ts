/**
 * Stores papers from a file saved to disk: a Hugging Face daily-papers JSON answer or an arXiv Atom
 * feed. Handy for backfills and for trying Paperboy without network.
 * @module
 */
import { readFile } from 'node:fs/promises';
import { BadInputError, PaperboyError } from '../errors.js';
import { parseAtom } from './arxiv.js';
import { parseDailyPapers } from './hf.js';
import type { DailyEntry } from '../core/papers/record.js';
import type { PaperStore, UpsertOutcome } from '../core/papers/store.js';

export type ImportResult = { papers: number; dates: string[] } & Record<UpsertOutcome, number>;

export async function importFile(store: PaperStore, path: string): Promise<ImportResult> {
  let body: string;
  try {
    body = await readFile(path, 'utf8');
  } catch (err) {
    throw new BadInputError(`Cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? 'unreadable'}. Give the path of a saved .json or .xml file.`);
  }
  // Editors on Windows save UTF-8 with a byte-order mark; JSON.parse and the XML parser refuse it.
  if (body.startsWith('\uFEFF')) body = body.slice(1);
  const trimmed = body.trimStart();
  try {
    if (trimmed.startsWith('<')) {
      const { entries } = parseAtom(body);
      return { papers: entries.length, dates: [], ...store.upsertMany(entries) };
    }
    if (trimmed.startsWith('[') || trimmed.startsWith('{')) {
      const entries = parseDailyPapers(JSON.parse(body));
      return saveByDate(store, entries);
    }
  } catch (err) {
    if (err instanceof PaperboyError && err.code === 'bad_input') throw err;
    throw new BadInputError(`${path} is not a Hugging Face daily-papers JSON or an arXiv Atom feed (${err instanceof Error ? err.message.slice(0, 120) : 'unreadable'}).`);
  }
  throw new BadInputError(`${path} is neither JSON nor XML. Save an HF /api/daily_papers answer or an arXiv API answer.`);
}

function saveByDate(store: PaperStore, entries: DailyEntry[]): ImportResult {
  const byDate = new Map<string, DailyEntry[]>();
  for (const entry of entries) byDate.set(entry.date, [...(byDate.get(entry.date) ?? []), entry]);
  const total: ImportResult = { papers: entries.length, dates: [], inserted: 0, revised: 0, updated: 0, unchanged: 0 };
  for (const [date, dayEntries] of byDate) {
    const counts = /^\d{4}-\d{2}-\d{2}$/.test(date) ? store.saveDaily(date, dayEntries) : store.upsertMany(dayEntries.map((e) => e.paper));
    if (/^\d{4}-\d{2}-\d{2}$/.test(date)) total.dates.push(date);
    for (const k of ['inserted', 'revised', 'updated', 'unchanged'] as const) total[k] += counts[k];
  }
  return total;
}
