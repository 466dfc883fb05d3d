/**
 * Writes the synthetic corpus (corpus.ts) as Hugging Face `/api/daily_papers` answers, one JSON file per
 * day, each paper listed on the day after its arXiv date, in the full shape Hugging Face serves (the
 * abstract twice, authors with ids, submitter, thumbnail). Same papers and files on every run. Not a
 * bench itself: bench/import.ts and bench/import-parts.ts use it.
 * @module
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PaperRecord } from '../src/core/papers/record.js';
import { CorpusGenerator } from './corpus.js';

const hex = (n: number) => (n >>> 0).toString(16).padStart(8, '0');

function entry(paper: PaperRecord, day: string, position: number): unknown {
  const listedAt = `${day}T${String(1 + (position % 20)).padStart(2, '0')}:${String(position % 60).padStart(2, '0')}:00.000Z`;
  return {
    paper: {
      id: paper.id,
      authors: paper.authors.map((name, i) => ({ _id: `${hex(position * 31 + i)}${hex(i)}${hex(position)}`, name, hidden: false })),
      publishedAt: paper.publishedAt,
      submittedOnDailyAt: listedAt,
      title: paper.title,
      summary: paper.abstract,
      upvotes: paper.hfUpvotes ?? position % 7,
      discussionId: `${hex(position)}${hex(position * 7)}${hex(position * 13)}`,
      ...(paper.codeUrl ? { githubRepo: paper.codeUrl, githubStars: position % 500 } : {}),
    },
    publishedAt: listedAt,
    title: paper.title,
    summary: paper.abstract,
    thumbnail: `https://cdn-thumbnails.huggingface.co/social-thumbnails/papers/${paper.id}.png`,
    numComments: position % 4,
    submittedBy: { _id: '60f1abe7544c2adfd699860c', fullname: 'AK', user: 'akhaliq', type: 'user', isPro: false },
    isAuthorParticipating: false,
  };
}

const nextDay = (iso: string) => new Date(Date.parse(iso.slice(0, 10)) + 86_400_000).toISOString().slice(0, 10);

/**
 * The folder of daily files for `papers` papers (`under`, by default bench/out/, then hf-daily-<papers>-<seed>/),
 * written once and reused: a `.complete` file marks a finished set. Returns the folder, the file count and the papers.
 */
export function dailyFiles(papers: number, seed: number, onProgress?: (written: number) => void, under = join(process.cwd(), 'bench', 'out')): { dir: string; files: number; papers: number } {
  const dir = join(under, `hf-daily-${papers}-${seed}`);
  const marker = join(dir, '.complete');
  if (existsSync(marker)) {
    const { files } = JSON.parse(readFileSync(marker, 'utf8')) as { files: number };
    return { dir, files, papers };
  }
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  let files = 0;
  let written = 0;
  let day = '';
  let list: unknown[] = [];
  const flush = () => {
    if (list.length === 0) return;
    writeFileSync(join(dir, `${day}.json`), JSON.stringify(list));
    files++;
    written += list.length;
    list = [];
    onProgress?.(written);
  };
  for (const batch of new CorpusGenerator(papers, seed).batches(5000)) {
    for (const paper of batch) {
      const listed = nextDay(paper.publishedAt ?? '2020-01-01');
      if (listed !== day) {
        flush();
        day = listed;
      }
      list.push(entry(paper, day, list.length));
    }
  }
  flush();
  writeFileSync(marker, JSON.stringify({ files, papers }));
  return { dir, files, papers };
}

/** The corpus size a bench was asked for: `--papers` (1,000,000 by default, 100,000 with `--quick`). */
export function corpusPapers(papers: string | undefined, quick: boolean): number {
  const n = Number((papers ?? (quick ? '100000' : '1000000')).replace(/[_,]/g, ''));
  if (!Number.isInteger(n) || n < 1) throw new Error(`--papers takes a whole number, not "${papers}"`);
  return n;
}

/**
 * The daily files of `dir`, each read once, so that timed runs read them from memory, as right after
 * saving them, not at whatever speed the shared disk has at the moment. Returns the seconds it took.
 */
export function readIntoPageCache(dir: string): number {
  const started = performance.now();
  for (const name of readdirSync(dir).filter((n) => n.endsWith('.json'))) readFileSync(join(dir, name));
  return (performance.now() - started) / 1000;
}
