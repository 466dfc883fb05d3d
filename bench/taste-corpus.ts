/**
 * Papers with known topics for the taste bench: each paper has a main topic whose words, authors and
 * category it mostly uses, over the same Zipf background as bench/corpus.ts. Hugging Face upvotes are
 * heavy-tailed and favour a few globally popular topics, as on the real site, and say nothing about any
 * one team. Same seed, same papers.
 * @module
 */
import type { PaperRecord } from '../src/core/papers/record.js';
import { createRandom, ZipfSampler, type Random } from './corpus.js';
import { FAMILY_NAMES, GIVEN_NAMES, WORDS } from './vocabulary.js';

export const TOPICS = 24;
const WORDS_PER_TOPIC = 30;
const AUTHORS_PER_TOPIC = 40;
/** Share of an abstract's words drawn from its topic (the rest is the common background). */
const TOPIC_SHARE = 0.12;
const CATEGORIES = ['cs.CV', 'cs.CL', 'cs.LG', 'cs.AI', 'cs.RO', 'stat.ML', 'cs.IR', 'eess.IV', 'cs.CR', 'cs.HC', 'cs.NE', 'cs.SD'];

export interface TopicPaper extends PaperRecord {
  topic: number;
}

export class TopicCorpus {
  private readonly random: Random;
  private readonly background = new ZipfSampler(WORDS.length, 1);
  private readonly inTopic = new ZipfSampler(WORDS_PER_TOPIC, 0.7);
  private readonly topicWords: string[][];
  private readonly topicAuthors: string[][];
  /** A few topics everyone upvotes. */
  private readonly popularity: number[];
  private counter = 0;

  constructor(seed = 1) {
    this.random = createRandom(seed);
    const pool = WORDS.slice(300);
    this.topicWords = Array.from({ length: TOPICS }, (_, t) => pool.slice(t * WORDS_PER_TOPIC, (t + 1) * WORDS_PER_TOPIC));
    this.topicAuthors = Array.from({ length: TOPICS }, () =>
      Array.from({ length: AUTHORS_PER_TOPIC }, () => `${this.pick(GIVEN_NAMES)} ${this.pick(FAMILY_NAMES)}`));
    this.popularity = Array.from({ length: TOPICS }, (_, t) => (t % 6 === 0 ? 3 : 1));
  }

  private pick<T>(list: readonly T[]): T {
    return list[Math.floor(this.random() * list.length)]!;
  }

  /** A background word, or one of the paper's topic (a third of those from a second topic it touches). */
  private word(topic: number, second: number): string {
    if (this.random() >= TOPIC_SHARE) return WORDS[this.background.sample(this.random)]!;
    return this.topicWords[this.random() < 1 / 3 ? second : topic]![this.inTopic.sample(this.random)]!;
  }

  /** A new paper (ids rise), published at `publishedAt`. */
  paper(publishedAt: string, topic = Math.floor(this.random() * TOPICS)): TopicPaper {
    const n = this.counter++;
    const r = this.random;
    const title = Array.from({ length: 8 + Math.floor(r() * 6) }, () => (r() < 0.25 ? this.topicWords[topic]![this.inTopic.sample(r)]! : WORDS[this.background.sample(r)]!)).join(' ');
    const second = Math.floor(r() * TOPICS);
    const abstract = Array.from({ length: 150 + Math.floor(r() * 40) }, () => this.word(topic, second)).join(' ');
    const authors = Array.from({ length: 2 + Math.floor(r() * 5) }, () => (r() < 0.5 ? this.pick(this.topicAuthors[topic]!) : `${this.pick(GIVEN_NAMES)} ${this.pick(FAMILY_NAMES)}`));
    const upvotes = Math.floor((this.popularity[topic]! * 2) / (r() + 0.02));
    return {
      id: `${2500 + Math.floor(n / 99_999)}.${String(n % 99_999).padStart(5, '0')}`,
      version: 1, title, abstract, authors: [...new Set(authors)], publishedAt,
      categories: [CATEGORIES[topic % CATEGORIES.length]!, ...(r() < 0.3 ? [this.pick(CATEGORIES)] : [])],
      hfUpvotes: Math.min(upvotes, 500),
      topic,
    };
  }
}

/** A team's hidden interests: a few topics, and how it votes on what it is shown. */
export interface Team {
  interests: Set<number>;
  /** Chance to vote for a shown paper it likes, and for one it does not. */
  likeVote: number;
  otherVote: number;
  /** Chance to mark a shown paper it does not like 👎 (some teams never do). */
  down: number;
}

export function makeTeam(random: Random, index: number): Team {
  const interests = new Set<number>();
  while (interests.size < 3) interests.add(Math.floor(random() * TOPICS));
  return { interests, likeVote: 0.4, otherVote: 0.03, down: index % 2 === 0 ? 0.05 : 0 };
}
