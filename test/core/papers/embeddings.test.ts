import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Core } from '../../../src/core/core.js';
import { fuseRankings, PaperEmbeddings } from '../../../src/core/papers/embeddings.js';
import { PaperSearch } from '../../../src/core/papers/search.js';
import { PaperStore } from '../../../src/core/papers/store.js';
import { openDatabase, type Database } from '../../../src/db/database.js';
import { UpstreamError } from '../../../src/errors.js';
import { LlmClient } from '../../../src/sources/llm.js';
import { record } from '../../helpers/records.js';
import { llmSettings, startFakeLlm, type FakeLlm } from '../../fakes/llm-server.js';

/** Words with one meaning share a dimension: what a real embedding model learns, in four lines. */
const CONCEPTS = [['image', 'images', 'photo', 'picture'], ['generation', 'synthesis', 'generate'], ['protein', 'folding'], ['language', 'text']];
function conceptEmbedding(text: string): number[] {
  const words = text.toLowerCase().match(/\p{L}+/gu) ?? [];
  const v = CONCEPTS.map((group) => words.filter((w) => group.includes(w)).length + 0.01);
  const norm = Math.hypot(...v);
  return v.map((x) => x / norm);
}

const PAPERS = [
  record({ id: '2403.00001', title: 'Image generation with diffusion', abstract: 'Diffusion models for image generation.', categories: ['cs.CV'], authors: ['Ada Lovelace'] }),
  record({ id: '2403.00002', title: 'Photo synthesis by transformers', abstract: 'Transformers that synthesise a photo from a sketch.', categories: ['cs.CV'], authors: ['Grace Hopper'] }),
  record({ id: '2403.00003', title: 'Image classification at scale', abstract: 'Classifying every picture.', categories: ['cs.LG'], authors: ['Alan Turing'] }),
  record({ id: '2403.00004', title: 'Protein folding', abstract: 'Structures of proteins.', categories: ['q-bio.BM'], authors: ['Ada Lovelace'] }),
];

let fake: FakeLlm;
let database: Database;
let store: PaperStore;

beforeEach(async () => {
  fake = await startFakeLlm({ embed: conceptEmbedding });
  database = openDatabase(':memory:');
  store = new PaperStore(database);
  store.upsertMany(PAPERS);
});
afterEach(async () => {
  database.close();
  await fake.close();
});

const embedder = () => {
  const llm = new LlmClient(llmSettings(fake.url, { embeddingsModel: 'fake-embed' }), { sleep: async () => undefined });
  return { embeddingsModel: 'fake-embed', embed: (inputs: readonly string[]) => llm.embed(inputs) };
};
const vecTables = () => database.sqlite.prepare("SELECT name, sql FROM sqlite_master WHERE name LIKE 'paper_vectors_%' AND sql LIKE '%USING vec0%'").all() as { name: string; sql: string }[];
const ids = (hits: { paper: { id: string } }[]) => hits.map((h) => h.paper.id);

describe('PaperEmbeddings', () => {
  it('creates the vec0 table at run time with the first embedding\'s dimension', async () => {
    const vectors = new PaperEmbeddings(database, embedder());
    expect(vecTables()).toEqual([]);
    expect(await vectors.embedMissing()).toBe(4);
    expect(vecTables()).toEqual([{ name: vectors.table, sql: expect.stringContaining('USING vec0(embedding float[4] distance_metric=cosine)') }]);
    expect(vectors.count()).toBe(4);
    expect(await vectors.embedMissing()).toBe(0);
    expect(fake.embeddingRequests).toHaveLength(1);
    expect(fake.embeddingRequests[0]!.body).toMatchObject({ model: 'fake-embed', encoding_format: 'float' });
  });

  it('finds the nearest papers by meaning, keyed by papers.pk', async () => {
    const vectors = new PaperEmbeddings(database, embedder());
    const nearest = await vectors.nearest('picture synthesis', 2);
    const pks = store.getMany(['2403.00001', '2403.00002']);
    expect(nearest.map((n) => n.pk).sort()).toEqual([pks.get('2403.00001')!.pk, pks.get('2403.00002')!.pk].sort());
    expect(nearest[0]!.distance).toBeLessThan(0.01);
  });

  it('embeds papers stored later, and keeps vectors across connections to the same file', async () => {
    const vectors = new PaperEmbeddings(database, embedder());
    await vectors.embedMissing();
    store.upsert(record({ id: '2403.00005', title: 'Language generation', abstract: 'Text generation.' }));
    await vectors.nearest('text', 1);
    expect(vectors.count()).toBe(5);
    // A second instance (a restart) reads the dimension back from the table.
    expect(new PaperEmbeddings(database, embedder()).count()).toBe(5);
  });

  it('shares one backfill between concurrent searches', async () => {
    const vectors = new PaperEmbeddings(database, embedder());
    await Promise.all([vectors.embedMissing(), vectors.embedMissing(), vectors.nearest('image', 3)]);
    expect(vectors.count()).toBe(4);
    expect(fake.embeddingRequests.filter((r) => Array.isArray(r.body.input) && (r.body.input as unknown[]).length === 4)).toHaveLength(1);
  });
});

describe('fuseRankings', () => {
  it('ranks agreement between lists above one list\'s top item', () => {
    expect(fuseRankings([['a', 'b', 'c'], ['b', 'd', 'a']]).map((f) => f.item)).toEqual(['b', 'a', 'd', 'c']);
    expect(fuseRankings([[], ['x']]).map((f) => f.item)).toEqual(['x']);
  });
});

describe('blended search', () => {
  function searchWithVectors(budgetMs?: number) {
    const search = new PaperSearch(database, (pks) => store.getByPks(pks));
    const errors: unknown[] = [];
    search.useVectors(new PaperEmbeddings(database, embedder(), budgetMs), (err) => errors.push(err));
    return { search, errors };
  }

  it('adds papers that match in meaning to the BM25 ranking', async () => {
    const bm25 = new PaperSearch(database, (pks) => store.getByPks(pks));
    expect(ids(bm25.search('image generation'))).toEqual(['2403.00001']);
    // Without vectors, find is BM25 exactly.
    expect(ids(await bm25.find('image generation'))).toEqual(['2403.00001']);

    const { search } = searchWithVectors();
    const hits = await search.find('image generation');
    expect(ids(hits).slice(0, 2)).toEqual(['2403.00001', '2403.00002']);
    expect(ids(hits)).not.toContain(undefined);
    expect(hits[1]!.snippet).toBe('Transformers that synthesise a photo from a sketch.');
    expect(hits.map((h) => h.score)).toEqual([...hits.map((h) => h.score)].sort((a, b) => a - b));
    // The synchronous BM25 search is unchanged.
    expect(ids(search.search('image generation'))).toEqual(['2403.00001']);
  });

  it('keeps a typed title first', async () => {
    const { search } = searchWithVectors();
    // One word extra: BM25 alone finds no paper with every word; the title rule still does.
    expect(ids(await search.find('photo synthesis by transformers today'))[0]).toBe('2403.00002');
    expect(ids(await search.find('Synthesis by Photo Transformers'))[0]).toBe('2403.00002');
  });

  it('applies the filters to the vector results too', async () => {
    const { search } = searchWithVectors();
    expect(ids(await search.find('image generation cat:cs.LG'))).toEqual(['2403.00003']);
    expect(ids(await search.find('picture author:Hopper'))).toEqual(['2403.00002']);
    expect(ids(await search.find('folding since:2030-01-01'))).toEqual([]);
  });

  it('answers with BM25 alone when the embeddings endpoint fails', async () => {
    const { search, errors } = searchWithVectors();
    fake.rule((req) => (req.task === 'embeddings' ? { status: 500 } : undefined));
    expect(ids(await search.find('image generation'))).toEqual(['2403.00001']);
    expect(errors[0]).toBeInstanceOf(UpstreamError);
  });

  it('answers from BM25 when the embeddings are slow, and the backfill goes on behind', async () => {
    const { search, errors } = searchWithVectors(200);
    fake.rule((req) => (req.task === 'embeddings' ? { delayMs: 800 } : undefined));
    const started = performance.now();
    expect(ids(await search.find('image generation'))).toEqual(['2403.00001']);
    expect(performance.now() - started).toBeLessThan(700);
    expect((errors[0] as Error).message).toBe('The embeddings endpoint did not answer within 0.2 s');
    await new Promise((resolve) => setTimeout(resolve, 1000));
    // The slow backfill was stored meanwhile; with a budget the endpoint can meet, the blend is back.
    expect(new PaperEmbeddings(database, embedder()).count()).toBe(PAPERS.length);
    const fast = searchWithVectors(2000).search;
    expect(ids(await fast.find('image generation')).slice(0, 2)).toEqual(['2403.00001', '2403.00002']);
  });

  it('is wired into Core when the LLM has an embeddings model', async () => {
    const withEmbeddings = new Core({ database, llm: new LlmClient(llmSettings(fake.url, { embeddingsModel: 'fake-embed' })) });
    expect(ids(await withEmbeddings.search.find('image generation')).slice(0, 2)).toEqual(['2403.00001', '2403.00002']);
    expect(fake.embeddingRequests.length).toBeGreaterThan(0);

    const before = fake.requests.length;
    const withoutEmbeddings = new Core({ database, llm: new LlmClient(llmSettings(fake.url)) });
    expect(ids(await withoutEmbeddings.search.find('image generation'))).toEqual(['2403.00001']);
    expect(fake.requests.length).toBe(before);
  });
});
