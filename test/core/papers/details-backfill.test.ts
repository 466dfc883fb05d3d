import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFakeArxiv, type FakeArxiv } from '../../fakes/arxiv-server.js';
import { startFakeHf, type FakeHf } from '../../fakes/hf-server.js';
import { createTestCore, dailyList, type TestCore } from '../../helpers/test-core.js';

let hf: FakeHf;
let arxiv: FakeArxiv;
let test: TestCore;
let clock = Date.parse('2024-03-15T09:00:00Z');

// 250 papers on 2024-03-15: the 9 of the fixture (arXiv knows them) and 241 arXiv does not know.
beforeAll(async () => {
  [hf, arxiv] = await Promise.all([startFakeHf({ daily: { '2024-03-15': dailyList(250) } }), startFakeArxiv()]);
});
afterAll(() => Promise.all([hf.close(), arxiv.close()]));
afterEach(() => test.close());

function setup(): TestCore {
  test = createTestCore({ hfUrl: hf.url, arxivUrl: `${arxiv.url}/api/query`, now: () => clock });
  return test;
}

const idListRequests = () => arxiv.requests.filter((r) => r.query.id_list).map((r) => r.query.id_list!.split(',').length);
const search = (core: TestCore['core'], q: string) => core.search.search(q).map((hit) => hit.paper.id);

describe('arXiv details backfill', () => {
  it('gives papers from a Hugging Face list their categories, 100 ids per arXiv request, so cat: finds them', async () => {
    const { core } = setup();
    await core.dailyLists.fetch('2024-03-14');
    expect(core.papers.get('2403.08764')).toMatchObject({ version: null, categories: [] });
    expect(search(core, 'vlogger cat:cs.CV')).toEqual([]);
    expect(core.details!.waiting()).toBe(9);

    arxiv.requests.length = 0;
    expect(await core.details!.runOnce()).toBe(9);
    expect(idListRequests()).toEqual([9]);
    expect(core.papers.get('2403.08764')).toMatchObject({ version: 1, categories: ['cs.CV'] });
    expect(search(core, 'vlogger cat:cs.CV')).toEqual(['2403.08764']);
    expect(search(core, 'gemma cat:cs.CL')).toEqual(['2403.08295']);
    expect(core.details!.waiting()).toBe(0);
    expect(await core.details!.runOnce()).toBe(0);
  });

  it('asks in batches of 100 and asks again later, less often, about papers arXiv does not know', async () => {
    const { core } = setup();
    await core.dailyLists.fetch('2024-03-15');
    expect(core.details!.waiting()).toBe(250);
    arxiv.requests.length = 0;
    while ((await core.details!.runOnce()) > 0);
    expect(idListRequests()).toEqual([100, 100, 50]);
    expect(core.details!.waiting()).toBe(241);
    // Not due again before a day has passed; then once more, then after two days, and so on.
    expect(await core.details!.runOnce()).toBe(0);
    clock += 86_400_000;
    while ((await core.details!.runOnce()) > 0);
    expect(idListRequests()).toHaveLength(6);
    clock += 86_400_000;
    expect(await core.details!.runOnce()).toBe(0);
    for (let day = 0; day < 20; day++) {
      clock += 86_400_000;
      while ((await core.details!.runOnce()) > 0);
    }
    expect(core.details!.waiting()).toBe(0);
  });

  it('leaves the queue as it was when arXiv is down, and runs in the background until stopped', async () => {
    const { core } = setup();
    await core.dailyLists.fetch('2024-03-14');
    arxiv.failNext(2, 503);
    await expect(core.details!.runOnce()).rejects.toThrow();
    expect(core.details!.waiting()).toBe(9);

    core.details!.start();
    for (let i = 0; i < 200 && core.details!.waiting() > 0; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(core.details!.waiting()).toBe(0);
    const stopping = performance.now();
    await core.details!.stop();
    expect(performance.now() - stopping).toBeLessThan(1_000);
  });
});
