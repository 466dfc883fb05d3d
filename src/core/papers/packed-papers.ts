/**
 * Papers packed for bulk writes: one flat array holding, per paper, the values PaperStore binds to
 * insert it (already within PAPER_BOUNDS, JSON columns already serialised) and the text of its two
 * search indexes. Import's reader thread packs; the writer only binds. A flat array of strings and
 * numbers also crosses between threads far more cheaply than records (a structured clone of objects
 * costs per property).
 * @module
 */
import { boundRecord } from './bounds.js';
import type { PaperRecord } from './record.js';
import { titleIndexText } from './title-index.js';

type Value = string | number | null;

/** Papers packed by {@link packPapers}: `values` holds PACKED_WIDTH values per paper, in FIELD order. */
export interface PackedPapers {
  values: Value[];
  count: number;
}

/**
 * The offset of each value within a paper's slice. `null` stands for a field the source did not know
 * (undefined in the record), categories included: the insert stores `[]` for those.
 */
export const FIELD = {
  id: 0, version: 1, title: 2, authors: 3, abstract: 4, publishedAt: 5, updatedAt: 6, categories: 7,
  primaryCategory: 8, comment: 9, journalRef: 10, doi: 11, codeUrl: 12, projectUrl: 13, githubStars: 14,
  hfUpvotes: 15, aiSummary: 16, aiKeywords: 17,
  /** Authors as papers_fts indexes them: "A, B, C". */
  authorsText: 18,
  /** What papers_title_fts indexes (title-index.ts). */
  titleText: 19,
} as const;

export const PACKED_WIDTH = 20;

/** Appends `records` (bounded) to `into`, or to a new pack. */
export function packPapers(records: Iterable<PaperRecord>, into: PackedPapers = { values: [], count: 0 }): PackedPapers {
  const v = into.values;
  for (const unbounded of records) {
    const r = boundRecord(unbounded);
    v.push(
      r.id, r.version ?? null, r.title, JSON.stringify(r.authors), r.abstract, r.publishedAt ?? null, r.updatedAt ?? null,
      r.categories ? JSON.stringify(r.categories) : null, r.primaryCategory ?? null, r.comment ?? null, r.journalRef ?? null,
      r.doi ?? null, r.codeUrl ?? null, r.projectUrl ?? null, r.githubStars ?? null, r.hfUpvotes ?? null, r.aiSummary ?? null,
      r.aiKeywords ? JSON.stringify(r.aiKeywords) : null, r.authors.join(', '), titleIndexText(r.title),
    );
    into.count++;
  }
  return into;
}

/** The record packed at position `index`, as the source knew it (bounded). */
export function unpackPaper(packed: PackedPapers, index: number): PaperRecord {
  const at = index * PACKED_WIDTH;
  const v = packed.values;
  const str = (field: number) => (v[at + field] as string | null) ?? undefined;
  const num = (field: number) => (v[at + field] as number | null) ?? undefined;
  const json = (field: number) => {
    const text = str(field);
    return text === undefined ? undefined : (JSON.parse(text) as string[]);
  };
  const record: PaperRecord = { id: str(FIELD.id)!, title: str(FIELD.title)!, authors: json(FIELD.authors)!, abstract: str(FIELD.abstract)! };
  const optional = {
    version: num(FIELD.version), publishedAt: str(FIELD.publishedAt), updatedAt: str(FIELD.updatedAt), categories: json(FIELD.categories),
    primaryCategory: str(FIELD.primaryCategory), comment: str(FIELD.comment), journalRef: str(FIELD.journalRef), doi: str(FIELD.doi),
    codeUrl: str(FIELD.codeUrl), projectUrl: str(FIELD.projectUrl), githubStars: num(FIELD.githubStars), hfUpvotes: num(FIELD.hfUpvotes),
    aiSummary: str(FIELD.aiSummary), aiKeywords: json(FIELD.aiKeywords),
  };
  // Unknown fields stay unset, as the source left them.
  for (const [key, value] of Object.entries(optional)) if (value !== undefined) Object.assign(record, { [key]: value });
  return record;
}

/** When a paper entered the daily list of `date` (ms): `enteredAt` when it is a time, else the start of that day (UTC). */
export function enteredAtMs(date: string, enteredAt: string | undefined): number {
  const entered = enteredAt ? Date.parse(enteredAt) : Number.NaN;
  return Number.isNaN(entered) ? Date.parse(`${date}T00:00:00Z`) : entered;
}
