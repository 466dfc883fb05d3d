/**
 * arXiv API: papers by id and newest papers by category, read from Atom feeds into plain paper records.
 * Every request, retries included, goes through the process-wide ArxivLimiter.
 * @module
 */

import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { BadInputError, BadPayloadError, UpstreamError } from '../errors.js';
import { ArxivLimiter, sharedArxivLimiter } from './arxiv-limiter.js';
import { httpGet, type FetchLike, type HttpSettings } from './http.js';
import type { CallLimits, Sleep } from './retry.js';
import type { PaperRecord } from '../core/papers/record.js';
import { collapseWhitespace } from '../strings.js';

export interface ArxivClientOptions {
  /** The query endpoint, e.g. `https://export.arxiv.org/api/query`. */
  apiUrl: string;
  /** Least time between the starts of two requests (arXiv asks for 3,000 ms). */
  minIntervalMs: number;
  http: HttpSettings;
  fetch?: FetchLike;
  sleep?: Sleep;
  /** Defaults to the process-wide {@link sharedArxivLimiter}. */
  limiter?: ArxivLimiter;
}

/** A parsed Atom answer: how many papers match in all, and the ones on this page. */
export interface AtomFeed {
  totalResults: number;
  entries: PaperRecord[];
}

const BATCH_SIZE = 100;
const MAX_RESULTS_PER_CALL = 2000;
const CATEGORY = /^[a-z-]+(\.[A-Za-z-]+)?$/;

/** Client for the arXiv query API. */
export class ArxivClient {
  readonly #apiUrl: string;
  readonly #http: HttpSettings;
  readonly #limiter: ArxivLimiter;

  constructor(options: ArxivClientOptions) {
    this.#apiUrl = options.apiUrl;
    this.#http = { ...options.http, fetch: options.fetch ?? options.http.fetch, sleep: options.sleep ?? options.http.sleep };
    this.#limiter = options.limiter ?? sharedArxivLimiter(options.minIntervalMs);
  }

  /**
   * Papers for well-formed ids (check them with parseArxivId first: one malformed id makes arXiv refuse
   * the whole batch). Asks 100 ids per request; ids arXiv does not know come back in `missing`.
   */
  async lookup(ids: string[], limits: CallLimits = {}): Promise<{ found: PaperRecord[]; missing: string[] }> {
    const wanted = [...new Set(ids)];
    const found = new Map<string, PaperRecord>();
    for (let i = 0; i < wanted.length; i += BATCH_SIZE) {
      const batch = wanted.slice(i, i + BATCH_SIZE);
      const feed = await this.#query({ id_list: batch.join(','), start: '0', max_results: String(batch.length) }, limits);
      for (const paper of feed.entries) if (!found.has(paper.id)) found.set(paper.id, paper);
    }
    const missing = wanted.filter((id) => !found.has(id.replace(/v\d+$/, '')));
    return { found: [...found.values()], missing };
  }

  /**
   * One paper, or undefined when arXiv does not know the id. An id arXiv refuses is bad input
   * (BadInputError "arXiv refused the id …"), not an outage.
   */
  async get(id: string, limits: CallLimits = {}): Promise<PaperRecord | undefined> {
    try {
      return (await this.lookup([id], limits)).found[0];
    } catch (err) {
      throw refusal(err, `the id ${id.slice(0, 40)}`);
    }
  }

  /** The newest papers in any of `categories` (e.g. `cs.CL`), newest submission first. */
  async listCategories(categories: string[], opts: { max?: number; start?: number } = {}): Promise<PaperRecord[]> {
    if (categories.length === 0) return [];
    const bad = categories.find((c) => !CATEGORY.test(c));
    if (bad !== undefined) throw new BadInputError(`"${bad}" is not an arXiv category; use names like cs.CL or math.CO`);
    const feed = await this.#query({
      search_query: categories.map((c) => `cat:${c}`).join(' OR '),
      start: String(opts.start ?? 0),
      max_results: String(Math.min(opts.max ?? 50, MAX_RESULTS_PER_CALL)),
      sortBy: 'submittedDate',
      sortOrder: 'descending',
    }).catch((err: unknown) => {
      throw refusal(err, `the categories ${categories.join(', ').slice(0, 80)}`);
    });
    return feed.entries;
  }

  #query(params: Record<string, string>, limits: CallLimits = {}): Promise<AtomFeed> {
    const url = new URL(this.#apiUrl);
    for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
    // Each attempt, retries included, waits its turn and holds the one connection until its body is in.
    const gate = <R>(attempt: () => Promise<R>, signal?: AbortSignal): Promise<R> => this.#limiter.run(attempt, signal);
    return httpGet(this.#http, { source: 'arxiv', url, readBodyOn: [400], parse: readFeed, gate, ...limits });
  }
}

/** arXiv's HTTP 400 as the bad input it is ("arXiv refused the id 1234.5: incorrect id format"); other errors unchanged. */
function refusal(err: unknown, what: string): Error {
  if (!(err instanceof UpstreamError) || err.status !== 400 || err instanceof BadPayloadError) return err instanceof Error ? err : new Error(String(err));
  const why = /^arXiv refused the query: (.+)$/.exec(err.message)?.[1];
  return new BadInputError(`arXiv refused ${what}${why ? `: ${why}` : ''}`);
}

/** A 400 carries an Atom error entry (parseAtom throws it); any other 400 body still means "refused". */
function readFeed(body: string, status: number): AtomFeed {
  if (status < 400) return parseAtom(body);
  try {
    parseAtom(body);
  } catch (err) {
    if (!(err instanceof BadPayloadError)) throw err;
  }
  throw new UpstreamError('arxiv', `arXiv refused the query (HTTP ${status})`, { status });
}

const parser = new XMLParser({
  removeNSPrefix: true, // match by local name: prefixes and where namespaces are declared vary by era
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseTagValue: false, // `1605.08386` must stay a string
  // eslint-disable-next-line @typescript-eslint/no-deprecated -- entityDecoder is not in the pinned 5.x we verified
  htmlEntities: true, // also decode numeric character references such as &#233;
  isArray: (name) => name === 'entry' || name === 'author' || name === 'category' || name === 'link',
});

/**
 * Reads an arXiv Atom feed, classic or 2026 layout. Throws UpstreamError (status 400) for arXiv's error
 * entry and BadPayloadError for malformed XML or a document that is not an Atom feed.
 */
export function parseAtom(xml: string): AtomFeed {
  // eslint-disable-next-line @typescript-eslint/no-deprecated -- its successor is a separate package; this one is the same code
  const valid = XMLValidator.validate(xml);
  if (valid !== true) {
    throw new BadPayloadError('arxiv', `arXiv sent malformed XML (line ${valid.err.line}: ${valid.err.msg})`);
  }
  const feed = child(parser.parse(xml) as unknown, 'feed');
  if (!isNode(feed)) throw new BadPayloadError('arxiv', 'arXiv sent a document that is not an Atom feed');
  const entries = list(feed.entry).map(toRecord);
  const total = Number(optional(feed.totalResults));
  return { totalResults: Number.isFinite(total) ? total : entries.length, entries };
}

const ABS_ID = /\/abs\/(.+?)(?:v(\d+))?$/;

function toRecord(entry: unknown): PaperRecord {
  const idUrl = text(child(entry, 'id'));
  if (idUrl.includes('/api/errors')) {
    const why = optional(child(entry, 'summary')) ?? 'no reason given';
    throw new UpstreamError('arxiv', `arXiv refused the query: ${why}`, { status: 400 });
  }
  const match = ABS_ID.exec(idUrl);
  if (!match?.[1]) throw new BadPayloadError('arxiv', `arXiv sent an entry without a paper id ("${idUrl}")`);
  const categories = list(child(entry, 'category')).flatMap((c) => optional(child(c, '@_term')) ?? []);
  // Unknown fields stay unset (not undefined), so merging with another source never erases a value.
  const record: PaperRecord = {
    id: match[1],
    version: match[2] ? Number(match[2]) : undefined,
    title: text(child(entry, 'title')),
    authors: list(child(entry, 'author')).flatMap((a) => optional(child(a, 'name')) ?? []),
    abstract: text(child(entry, 'summary')),
    publishedAt: optional(child(entry, 'published')),
    updatedAt: optional(child(entry, 'updated')),
    categories: categories.length > 0 ? categories : undefined,
    primaryCategory: optional(child(child(entry, 'primary_category'), '@_term')),
    comment: optional(child(entry, 'comment')),
    journalRef: optional(child(entry, 'journal_ref')),
    doi: optional(child(entry, 'doi')),
  };
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined)) as PaperRecord;
}

function isNode(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function child(node: unknown, name: string): unknown {
  return isNode(node) ? node[name] : undefined;
}

function list(node: unknown): unknown[] {
  if (node === undefined) return [];
  return Array.isArray(node) ? node : [node];
}

/**
 * Text of an element (a plain string, or `#text` when it has attributes) with arXiv's hard line breaks
 * and runs of spaces collapsed; empty when absent.
 */
function text(node: unknown): string {
  if (isNode(node)) return text(node['#text']);
  return typeof node === 'string' || typeof node === 'number' ? collapseWhitespace(String(node)) : '';
}

function optional(node: unknown): string | undefined {
  return text(node) || undefined;
}
