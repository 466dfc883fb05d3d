/**
 * Teams and papers with known topics, for the taste tests: papers whose words come from a topic, delivered
 * to a channel through the real ledger, and votes cast through the real vote path.
 */
import type { Core } from '../../../src/core/core.js';
import type { PaperRecord } from '../../../src/core/papers/record.js';
import type { ChannelTarget } from '../../../src/core/subscriptions/store.js';

export const DAY = 86_400_000;

export const TOPICS = {
  robots: ['robot', 'grasping', 'manipulation', 'locomotion', 'gripper', 'embodied', 'quadruped', 'teleoperation', 'tactile', 'sim2real'],
  vision: ['segmentation', 'detection', 'pixels', 'convolutional', 'imagenet', 'bounding', 'optical', 'stereo', 'depth', 'camera'],
  speech: ['speech', 'acoustic', 'phoneme', 'speaker', 'waveform', 'vocoder', 'prosody', 'asr', 'spectrogram', 'dialect'],
  animation: ['diffusion', 'avatar', 'animation', 'video', 'human', 'motion', 'synthesis', 'gesture', 'talking', 'image'],
  proteins: ['protein', 'folding', 'molecule', 'binding', 'enzyme', 'residue', 'ligand', 'docking', 'peptide', 'genome'],
} as const;
export type Topic = keyof typeof TOPICS;

const FILLER = ['model', 'training', 'data', 'performance', 'learning', 'benchmark', 'evaluation', 'task', 'framework', 'efficient', 'baseline', 'robust'];

let seed = 7;
const random = () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 4294967296);
const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;

let counter = 0;

/** A paper about `topic`: topic words with filler, authors of the topic's labs. */
export function topicPaper(topic: Topic, overrides: Partial<PaperRecord> = {}): PaperRecord {
  const n = counter++;
  const words = TOPICS[topic];
  const sentence = () => Array.from({ length: 12 }, () => (random() < 0.45 ? pick(words) : pick(FILLER))).join(' ');
  return {
    id: `2401.${String(10000 + n).padStart(5, '0')}`,
    version: 1,
    title: `${pick(words)} ${pick(FILLER)} ${pick(words)} ${pick(FILLER)} ${n}`,
    authors: [`${topic} Lab ${n % 3}`, `Person ${n}`],
    abstract: `${sentence()}. ${sentence()}. ${sentence()}.`,
    publishedAt: new Date(Date.UTC(2024, 0, 1) + n * 60_000).toISOString(),
    categories: [topic === 'vision' || topic === 'animation' ? 'cs.CV' : topic === 'speech' ? 'eess.AS' : topic === 'robots' ? 'cs.RO' : 'q-bio.BM'],
    hfUpvotes: Math.floor(random() * 50),
    ...overrides,
  };
}

/** Delivers papers to a channel as one digest through the ledger; returns each paper's message id. */
export function deliver(core: Core, target: ChannelTarget, date: string, papers: readonly PaperRecord[]): Map<string, string> {
  core.papers.upsertMany([...papers]);
  const ref = { ...target, digest: 'daily' as const, date };
  core.ledger.plan(ref, papers.map((p) => ({ kind: 'paper' as const, paperId: p.id })));
  const messages = new Map<string, string>();
  for (const step of core.ledger.steps(ref)) {
    const id = `${target.workspace}/${target.channel}/${step.paperId}`;
    core.ledger.markPosted(step.key, id, { workspace: target.workspace, channel: target.channel, thread: `t-${date}` });
    messages.set(step.paperId!, id);
  }
  return messages;
}

/** A reaction by `user` on a delivered paper's message. */
export async function react(core: Core, target: ChannelTarget, messageId: string, options: { user?: string; emoji?: string; added?: boolean } = {}) {
  return core.votes.react({
    platform: target.platform, workspace: target.workspace, channel: `t-thread`, messageId,
    user: options.user ?? 'u1', emoji: options.emoji ?? '👍', userIsBot: false, added: options.added ?? true,
  });
}

/**
 * A team's history: `days` digests of papers from every topic; the team votes 👍 on every paper of
 * `liked` topics (up to `votes` votes), nothing else.
 */
export async function history(core: Core, target: ChannelTarget, options: { liked: Topic[]; votes: number; days?: number; clock: Clock; perTopic?: number; topics?: Topic[] }): Promise<{ voted: PaperRecord[]; delivered: PaperRecord[] }> {
  const voted: PaperRecord[] = [];
  const delivered: PaperRecord[] = [];
  const days = options.days ?? 8;
  for (let d = 0; d < days; d++) {
    options.clock.t += DAY;
    const date = new Date(options.clock.t).toISOString().slice(0, 10);
    const papers = (options.topics ?? (['robots', 'vision', 'speech', 'proteins'] as Topic[])).flatMap((topic) => Array.from({ length: options.perTopic ?? 3 }, () => topicPaper(topic)));
    const messages = deliver(core, target, date, papers);
    delivered.push(...papers);
    for (const paper of papers) {
      const topic = topicOf(paper);
      if (options.liked.includes(topic) && voted.length < options.votes) {
        await react(core, target, messages.get(paper.id)!);
        voted.push(paper);
      }
    }
  }
  return { voted, delivered };
}

export interface Clock { t: number }

export function topicOf(paper: Pick<PaperRecord, 'authors'>): Topic {
  return paper.authors[0]!.split(' ')[0] as Topic;
}
