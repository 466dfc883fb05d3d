import { afterEach, describe, expect, it } from 'vitest';
import { Core } from '../../../src/core/core.js';
import type { PaperRecord } from '../../../src/core/papers/record.js';
import { DIMENSIONS } from '../../../src/core/taste/features.js';
import { channelScope } from '../../../src/core/taste/scope.js';
import { openDatabase, type Database } from '../../../src/db/database.js';
import { LlmClient } from '../../../src/sources/llm.js';
import { llmSettings, startFakeLlm, type FakeLlm } from '../../fakes/llm-server.js';
import { DAY, deliver, react } from './team.js';

/** Two topics, each with two vocabularies that share no word: only the meaning (the embedding) links them. */
const WORDS = {
  robots: [['robot', 'grasping', 'manipulation', 'locomotion', 'gripper'], ['embodied', 'quadruped', 'teleoperation', 'tactile', 'legged']],
  vision: [['segmentation', 'detection', 'pixels', 'convolutional', 'imagenet'], ['bounding', 'optical', 'stereo', 'depth', 'camera']],
  speech: [['speech', 'acoustic', 'phoneme', 'speaker', 'waveform'], ['vocoder', 'prosody', 'asr', 'spectrogram', 'dialect']],
} as const;
type Topic = keyof typeof WORDS;
const FILLER = ['model', 'training', 'data', 'performance', 'learning', 'benchmark', 'evaluation', 'task'];

/** What an embedding model learns: a dimension per topic, whichever of its words a text uses. */
function topicEmbedding(text: string): number[] {
  const words = text.toLowerCase().match(/\p{L}+/gu) ?? [];
  const v = (Object.keys(WORDS) as Topic[]).map((t) => words.filter((w) => WORDS[t].flat().includes(w as never)).length + 0.01);
  const norm = Math.hypot(...v);
  return v.map((x) => x / norm);
}

let seed = 11;
const random = () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 4294967296);
const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
let counter = 0;

function paper(topic: Topic, vocabulary: 0 | 1): PaperRecord & { topic: Topic } {
  const n = counter++;
  const words = WORDS[topic][vocabulary];
  const sentence = () => Array.from({ length: 12 }, () => (random() < 0.45 ? pick(words) : pick(FILLER))).join(' ');
  return {
    id: `2402.${String(10000 + n).padStart(5, '0')}`, version: 1, topic,
    title: `${pick(words)} ${pick(FILLER)} ${pick(words)} ${n}`, abstract: `${sentence()}. ${sentence()}.`,
    authors: [`Person ${n}`], categories: ['cs.LG'], hfUpvotes: 10,
    publishedAt: new Date(Date.UTC(2024, 0, 1) + n * 60_000).toISOString(),
  };
}

let fake: FakeLlm | undefined;
let database: Database | undefined;
afterEach(async () => {
  database?.close();
  await fake?.close();
});

const alpha = { platform: 'test', workspace: 'w1', channel: 'alpha' };

/** A channel that voted on every robots paper it was shown, all written in the first robots vocabulary. */
async function team(embeddings: boolean, options: { failing?: boolean } = {}) {
  fake = await startFakeLlm({ embed: topicEmbedding });
  if (options.failing) fake.rule((req) => (req.task === 'embeddings' ? { status: 500 } : undefined));
  database = openDatabase(':memory:');
  const clock = { t: Date.UTC(2024, 0, 1) };
  const llm = new LlmClient(llmSettings(fake.url, embeddings ? { embeddingsModel: 'fake-embed' } : {}), { sleep: async () => undefined });
  const core = new Core({ database, llm, now: () => clock.t, tasteRefitDelayMs: 1 });
  for (let d = 0; d < 8; d++) {
    clock.t += DAY;
    const papers = (['robots', 'vision', 'speech'] as Topic[]).flatMap((topic) => [paper(topic, 0), paper(topic, 0), paper(topic, 0)]);
    const messages = deliver(core, alpha, new Date(clock.t).toISOString().slice(0, 10), papers);
    for (const p of papers) if (p.topic === 'robots') await react(core, alpha, messages.get(p.id)!);
  }
  clock.t += 3 * DAY;
  await core.taste.settle();
  return core;
}

/** The top 5 of a day of papers in the second vocabularies, words the model never saw. */
async function topFive(core: Core, vocabulary: 0 | 1 = 1): Promise<Topic[]> {
  const records = [...Array.from({ length: 5 }, () => paper('robots', vocabulary)), ...Array.from({ length: 5 }, () => paper('vision', vocabulary))];
  core.papers.upsertMany(records.map(({ topic: _, ...r }) => r));
  const day = core.papers.ordered(records.map((r) => r.id));
  const { papers } = await core.taste.rank(alpha, day, 'strong');
  return papers.slice(0, 5).map((p) => records.find((r) => r.id === p.id)!.topic);
}

describe('taste with embeddings (LLM_EMBEDDINGS_MODEL)', () => {
  it('learns from the papers\' embeddings too, so it finds what the team likes in words it never voted on', async () => {
    const core = await team(true);
    expect(core.taste.status(channelScope(alpha))).toMatchObject({ votes: 24, enough: true });
    expect(fake!.embeddingRequests.length).toBeGreaterThan(0);
    const voted = core.taste.status(channelScope(alpha)).stored!.summary!.voted;
    const vector = (await core.taste.vectors.get(voted.slice(0, 1))).get(voted[0]!)!;
    expect(Array.from(vector.ids).filter((id) => id >= DIMENSIONS)).toEqual([DIMENSIONS, DIMENSIONS + 1, DIMENSIONS + 2]);
    expect(await topFive(core)).toEqual(['robots', 'robots', 'robots', 'robots', 'robots']);
  });

  it('without an embeddings model, asks for none and learns from words alone', async () => {
    const core = await team(false);
    expect(core.taste.status(channelScope(alpha))).toMatchObject({ votes: 24, enough: true });
    expect(fake!.embeddingRequests).toHaveLength(0);
    const voted = core.taste.status(channelScope(alpha)).stored!.summary!.voted;
    const vector = (await core.taste.vectors.get(voted.slice(0, 1))).get(voted[0]!)!;
    expect(Array.from(vector.ids).every((id) => id < DIMENSIONS)).toBe(true);
    // The words it learned say nothing about the second vocabularies.
    expect((await topFive(core)).filter((t) => t === 'robots').length).toBeLessThan(5);
  });

  it('learns from words alone while the embeddings endpoint fails', async () => {
    const core = await team(true, { failing: true });
    expect(fake!.embeddingRequests.length).toBeGreaterThan(0);
    expect(core.taste.status(channelScope(alpha))).toMatchObject({ votes: 24, enough: true });
    const voted = core.taste.status(channelScope(alpha)).stored!.summary!.voted;
    const vector = (await core.taste.vectors.get(voted.slice(0, 1))).get(voted[0]!)!;
    expect(Array.from(vector.ids).every((id) => id < DIMENSIONS)).toBe(true);
    expect(await topFive(core, 0)).toEqual(['robots', 'robots', 'robots', 'robots', 'robots']);
  });
});
