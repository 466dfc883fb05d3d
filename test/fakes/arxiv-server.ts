/**
 * A fake arXiv query API on 127.0.0.1 answering in the 2026 Atom layout: `id_list` lookups (unknown ids
 * left out, malformed ids refused with the recorded HTTP 400 error feed) and `cat:` listings, newest
 * first. Knows the recorded 2026 entries (served byte for byte) and the papers of the Hugging Face
 * fixture. Requests carry their start time and `maxConcurrent` tells whether two ever overlapped.
 * No test framework imports: scripts use it too.
 * @module
 */

import { readFixture, readJsonFixture } from './fixtures.js';
import { startLoopback, type FakeReply, type FakeServer, type RecordedRequest } from './loopback.js';

/** A paper the fake can serve, in arXiv's terms. */
export interface FakeArxivPaper {
  /** Without version. */
  id: string;
  version?: number;
  title: string;
  summary: string;
  authors: string[];
  /** ISO 8601, e.g. `2024-03-13T14:52:19Z`. */
  published: string;
  updated?: string;
  categories: string[];
  comment?: string;
  journalRef?: string;
  doi?: string;
}

export interface FakeArxivOptions {
  /** Extra papers, served next to (or instead of, with `defaults: false`) the built-in ones. */
  papers?: FakeArxivPaper[];
  /** Serve the recorded entries and the HF fixture papers; default true. */
  defaults?: boolean;
}

export type FakeArxiv = FakeServer;

interface KnownEntry {
  id: string;
  published: string;
  categories: string[];
  xml: string;
}

const RECORDED = [
  'arxiv/arxiv_atom_example_2026.xml',
  'arxiv/arxiv_atom_multi_id_partial_example_2026.xml',
  'arxiv/arxiv_atom_oldstyle_id_example_2026.xml',
  'arxiv/arxiv_atom_search_example_2026.xml',
];

/** Categories of the HF fixture papers (the HF API does not carry them). */
const FIXTURE_CATEGORIES: Record<string, string[]> = {
  '2403.08295': ['cs.CL', 'cs.AI'],
  '2403.08763': ['cs.LG', 'cs.AI', 'cs.CL'],
  '2403.08764': ['cs.CV'],
  '2403.08715': ['cs.CL'],
  '2403.08268': ['cs.CV'],
  '2403.08629': ['cs.CV'],
  '2403.08540': ['cs.CL', 'cs.LG'],
  '2403.08551': ['cs.CV', 'eess.IV'],
  '2403.07918': ['cs.CY', 'cs.AI', 'cs.LG'],
};

const WELL_FORMED = /^(\d{4}\.\d{4,5}|[a-z-]+(\.[A-Z]{2})?\/\d{7})(v\d+)?$/;

export async function startFakeArxiv(opts: FakeArxivOptions = {}): Promise<FakeArxiv> {
  const entries = new Map<string, KnownEntry>();
  if (opts.defaults ?? true) {
    for (const path of RECORDED) for (const entry of recordedEntries(readFixture(path))) entries.set(entry.id, entry);
    for (const paper of fixturePapers()) entries.set(paper.id, buildEntry(paper));
  }
  for (const paper of opts.papers ?? []) entries.set(paper.id, buildEntry(paper));
  const errorTemplate = readFixture('arxiv/arxiv_atom_error_example_2026_http400.xml');

  return startLoopback((req: RecordedRequest): FakeReply => {
    if (!req.path.endsWith('/query')) return { status: 404, body: 'Not found' };
    const start = Number(req.query.start ?? 0);
    const max = Number(req.query.max_results ?? 10);
    const idList = (req.query.id_list ?? '').split(',').filter((id) => id !== '');
    if (idList.length > 0) {
      const bad = idList.find((id) => !WELL_FORMED.test(id));
      if (bad !== undefined) return atom(400, errorTemplate.replaceAll('abc', escapeXml(bad)));
      const hits = idList.flatMap((id) => entries.get(id.replace(/v\d+$/, '')) ?? []);
      return atom(200, feed(hits.slice(start, start + max), hits.length, start, max));
    }
    const wanted = (req.query.search_query ?? '').split(/\s+OR\s+/).flatMap((term) => /^cat:(\S+)$/.exec(term.trim())?.[1] ?? []);
    const hits = [...entries.values()]
      .filter((entry) => entry.categories.some((c) => wanted.includes(c)))
      .sort((a, b) => b.published.localeCompare(a.published));
    return atom(200, feed(hits.slice(start, start + max), hits.length, start, max));
  });
}

/** The HF fixture's papers as arXiv would list them. */
function fixturePapers(): FakeArxivPaper[] {
  const daily = readJsonFixture('hf/daily-2024-03-14.json') as { paper: { id: string; title: string; summary: string; publishedAt: string; authors: { name: string }[] } }[];
  return daily.map(({ paper }) => ({
    id: paper.id,
    version: 1,
    title: paper.title,
    summary: paper.summary,
    authors: paper.authors.map((a) => a.name),
    published: paper.publishedAt.replace(/\.\d+Z$/, 'Z'),
    categories: FIXTURE_CATEGORIES[paper.id] ?? ['cs.LG'],
  }));
}

function recordedEntries(xml: string): KnownEntry[] {
  return [...xml.matchAll(/ {2}<entry>[\s\S]*?<\/entry>/g)].map(([block]) => ({
    id: /<id>http:\/\/arxiv\.org\/abs\/(.+?)(?:v\d+)?<\/id>/.exec(block)?.[1] ?? '',
    published: /<published>(.*?)<\/published>/.exec(block)?.[1] ?? '',
    categories: [...block.matchAll(/<category term="([^"]+)"/g)].map((m) => m[1] ?? ''),
    xml: block,
  }));
}

function buildEntry(p: FakeArxivPaper): KnownEntry {
  const vid = `${p.id}v${p.version ?? 1}`;
  const lines = [
    `  <entry>`,
    `    <id>http://arxiv.org/abs/${vid}</id>`,
    `    <title>${escapeXml(p.title)}</title>`,
    `    <updated>${p.updated ?? p.published}</updated>`,
    `    <link href="https://arxiv.org/abs/${vid}" rel="alternate" type="text/html"/>`,
    `    <link href="https://arxiv.org/pdf/${vid}" rel="related" type="application/pdf" title="pdf"/>`,
    `    <summary>${escapeXml(p.summary)}</summary>`,
    ...p.categories.map((c) => `    <category term="${c}" scheme="http://arxiv.org/schemas/atom"/>`),
    `    <published>${p.published}</published>`,
    ...(p.comment ? [`    <arxiv:comment>${escapeXml(p.comment)}</arxiv:comment>`] : []),
    `    <arxiv:primary_category term="${p.categories[0] ?? 'cs.LG'}"/>`,
    ...(p.journalRef ? [`    <arxiv:journal_ref>${escapeXml(p.journalRef)}</arxiv:journal_ref>`] : []),
    ...p.authors.map((name) => `    <author>\n      <name>${escapeXml(name)}</name>\n    </author>`),
    ...(p.doi ? [`    <arxiv:doi>${escapeXml(p.doi)}</arxiv:doi>`] : []),
    `  </entry>`,
  ];
  return { id: p.id, published: p.published, categories: p.categories, xml: lines.join('\n') };
}

function feed(entries: KnownEntry[], total: number, start: number, max: number): string {
  return [
    `<?xml version='1.0' encoding='UTF-8'?>`,
    `<feed xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/" xmlns:arxiv="http://arxiv.org/schemas/atom" xmlns="http://www.w3.org/2005/Atom">`,
    `  <id>https://arxiv.org/api/fake</id>`,
    `  <title>arXiv Query: fake</title>`,
    `  <updated>${new Date().toISOString().replace(/\.\d+Z$/, 'Z')}</updated>`,
    `  <opensearch:itemsPerPage>${max}</opensearch:itemsPerPage>`,
    `  <opensearch:totalResults>${total}</opensearch:totalResults>`,
    `  <opensearch:startIndex>${start}</opensearch:startIndex>`,
    ...entries.map((e) => e.xml),
    `</feed>`,
    ``,
  ].join('\n');
}

function atom(status: number, body: string): FakeReply {
  return { status, headers: { 'content-type': 'application/atom+xml; charset=utf-8' }, body };
}

function escapeXml(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');
}
