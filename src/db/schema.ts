/**
 * Every table of Paperboy, in one schema file (drizzle-kit generates drizzle/ from it).
 * The FTS5 index `papers_fts` is a virtual table drizzle cannot describe: it lives in a custom
 * migration, and every MATCH/bm25 query lives in src/core/papers/search.ts.
 * @module
 */
import { sql } from 'drizzle-orm';
import { blob, index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

const json = <T>(name: string) => text(name, { mode: 'json' }).$type<T>();
const nowMs = sql`(cast(unixepoch('subsec') * 1000 as integer))`;

/** The sources a paper record is put together from. */
export type PaperSource = 'huggingface' | 'arxiv';

/** One row per arXiv paper, whatever its version. `pk` is the stable rowid the FTS index points at. */
export const papers = sqliteTable('papers', {
  pk: integer('pk').primaryKey(),
  id: text('id').notNull().unique(),
  version: integer('version'),
  title: text('title').notNull(),
  authors: json<string[]>('authors').notNull(),
  abstract: text('abstract').notNull().default(''),
  publishedAt: text('published_at'),
  updatedAt: text('updated_at'),
  categories: json<string[]>('categories').notNull().default(sql`'[]'`),
  primaryCategory: text('primary_category'),
  comment: text('comment'),
  journalRef: text('journal_ref'),
  doi: text('doi'),
  codeUrl: text('code_url'),
  projectUrl: text('project_url'),
  githubStars: integer('github_stars'),
  hfUpvotes: integer('hf_upvotes'),
  aiSummary: text('ai_summary'),
  aiKeywords: json<string[]>('ai_keywords'),
  firstSeenAt: integer('first_seen_at').notNull().default(nowMs),
  /** Set when a newer arXiv version replaced the stored one. */
  revisedAt: integer('revised_at'),
  refreshedAt: integer('refreshed_at').notNull().default(nowMs),
  /**
   * Sources whose part of the record is still missing (one failed or sent nulls when it was stored):
   * the next lookup asks them again and clears them.
   */
  missingFrom: json<PaperSource[]>('missing_from').notNull().default(sql`'[]'`),
}, (t) => [
  index('papers_published_idx').on(t.publishedAt),
  // The search filters' columns, narrow and in pk order: checking a filter for each full-text match reads
  // this instead of the wide paper row (see core/papers/search.ts, which names it with INDEXED BY).
  index('papers_filter_idx').on(t.pk, t.publishedAt, t.categories),
]);

/** Hugging Face Daily Papers lists as fetched: which papers entered the list on which day. */
export const dailyPapers = sqliteTable('daily_papers', {
  date: text('date').notNull(),
  paperId: text('paper_id').notNull().references(() => papers.id),
  position: integer('position').notNull(),
  /** When the paper entered the list (ms; Hugging Face's `submittedOnDailyAt`): lists fill up during their UTC day. */
  enteredAt: integer('entered_at'),
}, (t) => [primaryKey({ columns: [t.date, t.paperId] }), index('daily_papers_entered_idx').on(t.enteredAt)]);

/**
 * Papers known only from a Hugging Face list, waiting for arXiv's details (categories, version, dates):
 * the background backfill (core/papers/details-backfill.ts) asks arXiv for them 100 at a time. A paper arXiv
 * does not know is tried again later (`next_at`, ms), fewer times each time (`tries`).
 */
export const paperDetailsQueue = sqliteTable('paper_details_queue', {
  paperPk: integer('paper_pk').primaryKey(),
  tries: integer('tries').notNull().default(0),
  nextAt: integer('next_at').notNull().default(0),
});

/** Hugging Face days fetched by `paperboy fetch`: a range backfill skips the days already complete. */
export const fetchedDays = sqliteTable('fetched_days', {
  date: text('date').primaryKey(),
  papers: integer('papers').notNull(),
  /** When it was fetched (ms); a day fetched after it ended (UTC) is complete. */
  fetchedAt: integer('fetched_at').notNull(),
});

/** Generated text cache: a summary or translation is made once and served to every channel. */
export const texts = sqliteTable('texts', {
  id: integer('id').primaryKey(),
  paperId: text('paper_id').notNull().references(() => papers.id),
  kind: text('kind', { enum: ['summary', 'translation'] }).notNull(),
  style: text('style').notNull(),
  language: text('language').notNull(),
  model: text('model').notNull(),
  promptVersion: text('prompt_version').notNull(),
  body: text('body').notNull(),
  promptTokens: integer('prompt_tokens'),
  completionTokens: integer('completion_tokens'),
  /** How often the cached text was served again (the cache hit rate of `paperboy stats`). */
  hits: integer('hits').notNull().default(0),
  createdAt: integer('created_at').notNull().default(nowMs),
}, (t) => [uniqueIndex('texts_key_idx').on(t.paperId, t.kind, t.style, t.language, t.model, t.promptVersion)]);

/** A channel's digest settings, per (platform, workspace, channel). */
export const subscriptions = sqliteTable('subscriptions', {
  id: integer('id').primaryKey(),
  platform: text('platform').notNull(),
  workspace: text('workspace').notNull(),
  channel: text('channel').notNull(),
  /** HH:MM in `timezone`. */
  time: text('time').notNull().default('09:00'),
  timezone: text('timezone').notNull().default('UTC'),
  /** ISO weekdays, 1 = Monday … 7 = Sunday. */
  weekdays: json<number[]>('weekdays').notNull().default(sql`'[1,2,3,4,5]'`),
  source: text('source', { enum: ['hf', 'arxiv'] }).notNull().default('hf'),
  categories: json<string[]>('categories').notNull().default(sql`'[]'`),
  size: integer('size').notNull().default(10),
  minUpvotes: integer('min_upvotes').notNull().default(0),
  includeKeywords: json<string[]>('include_keywords').notNull().default(sql`'[]'`),
  excludeKeywords: json<string[]>('exclude_keywords').notNull().default(sql`'[]'`),
  language: text('language').notNull().default('en'),
  style: text('style').notNull().default('tldr'),
  voteEmojis: json<string[]>('vote_emojis').notNull().default(sql`'["👍","🔥","⬆️","❤️"]'`),
  /** Reactions that say "not for me" to the taste model. */
  downEmojis: json<string[]>('down_emojis').notNull().default(sql`'["👎"]'`),
  /** How much the team's taste orders the digest: off, on (blended with upvotes) or strong. */
  taste: text('taste', { enum: ['off', 'on', 'strong'] }).notNull().default('on'),
  /** Optional weekly roundup, e.g. `fri 16:00`, in `timezone`. */
  roundup: text('roundup'),
  notifyEmpty: integer('notify_empty', { mode: 'boolean' }).notNull().default(false),
  active: integer('active', { mode: 'boolean' }).notNull().default(true),
  /** Why the last run failed (missing permission, …); cleared by the next success. */
  failure: text('failure'),
  createdAt: integer('created_at').notNull().default(nowMs),
  updatedAt: integer('updated_at').notNull().default(nowMs),
}, (t) => [uniqueIndex('subscriptions_channel_idx').on(t.platform, t.workspace, t.channel)]);

/**
 * The delivery ledger: every step of every digest, recorded before the next step starts.
 * `key` is the stable idempotency key of the step, handed to the adapter with the post.
 */
export const posts = sqliteTable('posts', {
  id: integer('id').primaryKey(),
  key: text('key').notNull().unique(),
  platform: text('platform').notNull(),
  workspace: text('workspace').notNull(),
  channel: text('channel').notNull(),
  /** 'scheduled', 'daily' (a /digest of one date) or 'roundup'. */
  digest: text('digest').notNull(),
  digestDate: text('digest_date').notNull(),
  /** 'header', 'thread', 'paper', 'notice', or 'overflow' (counted in the header beyond size=, never posted). */
  kind: text('kind').notNull(),
  paperId: text('paper_id').references(() => papers.id),
  position: integer('position'),
  /** Where the message lives: the channel for a header, the thread for a paper. */
  container: text('container'),
  messageId: text('message_id'),
  state: text('state', { enum: ['pending', 'posted'] }).notNull().default('pending'),
  createdAt: integer('created_at').notNull().default(nowMs),
  postedAt: integer('posted_at'),
}, (t) => [
  index('posts_message_idx').on(t.platform, t.workspace, t.messageId),
  index('posts_digest_idx').on(t.platform, t.workspace, t.channel, t.digest, t.digestDate),
]);

/**
 * One row per digest run of a channel, written with the run's plan (see core/digest/ledger.ts): what it
 * covers, so a resumed run posts the same header and the next run knows where the previous one ended.
 */
export const digestRuns = sqliteTable('digest_runs', {
  id: integer('id').primaryKey(),
  platform: text('platform').notNull(),
  workspace: text('workspace').notNull(),
  channel: text('channel').notNull(),
  /** 'scheduled' (date: the channel's local date of the run) or 'daily' (/digest of a Hugging Face date). */
  digest: text('digest').notNull(),
  digestDate: text('digest_date').notNull(),
  /** Where the papers came from: 'hf', 'arxiv', or 'arxiv-fallback' (Hugging Face was unreachable). */
  source: text('source').notNull(),
  /** The papers that entered the source in (windowFrom, windowTo] were candidates (ms); null for a /digest. */
  windowFrom: integer('window_from'),
  windowTo: integer('window_to'),
  /** The Hugging Face dates the posted papers belong to, for the header. */
  dates: json<string[]>('dates').notNull().default(sql`'[]'`),
  createdAt: integer('created_at').notNull().default(nowMs),
}, (t) => [uniqueIndex('digest_runs_ref_idx').on(t.platform, t.workspace, t.channel, t.digest, t.digestDate)]);

/** One row per (message, user, emoji) reaction that counts as a vote; removals delete the row. */
export const reactions = sqliteTable('reactions', {
  platform: text('platform').notNull(),
  workspace: text('workspace').notNull(),
  channel: text('channel').notNull(),
  messageId: text('message_id').notNull(),
  userId: text('user_id').notNull(),
  emoji: text('emoji').notNull(),
  paperId: text('paper_id').notNull().references(() => papers.id),
  createdAt: integer('created_at').notNull().default(nowMs),
}, (t) => [
  // Slack's message ids (ts) are unique per channel, not per platform: the workspace is part of the key.
  primaryKey({ columns: [t.platform, t.workspace, t.messageId, t.userId, t.emoji] }),
]);

/**
 * Who voted for what, at two scopes: `g` (everywhere) and `w:<platform>:<workspace>` (a team). A
 * channel's tally needs no voters: a paper has one message per channel, whose reactions tell. `refs` counts the user's vote reactions behind the vote,
 * so a second emoji or a second message does not count twice and removing one keeps the vote.
 */
export const voters = sqliteTable('voters', {
  scope: text('scope').notNull(),
  paperId: text('paper_id').notNull(),
  /** `<platform>:<user id>`. */
  user: text('user').notNull(),
  refs: integer('refs').notNull(),
}, (t) => [primaryKey({ columns: [t.scope, t.paperId, t.user] })]);

/** Distinct voters per paper and scope, kept in step with `voters` so leaderboards read a few rows. */
export const voteTallies = sqliteTable('vote_tallies', {
  scope: text('scope').notNull(),
  paperId: text('paper_id').notNull(),
  votes: integer('votes').notNull(),
  /** When the paper was first delivered in this scope: what `/top week` filters on. */
  postedAt: integer('posted_at').notNull(),
}, (t) => [
  primaryKey({ columns: [t.scope, t.paperId] }),
  // Not on votes: a vote would then move the row in this index too, on the hot path.
  index('vote_tallies_posted_idx').on(t.scope, t.postedAt),
]);

/**
 * "Not for me" reactions: a channel's down emoji (default 👎) on a paper message, per (message, user, emoji).
 * Kept apart from `reactions`, which are votes and feed every tally; these only teach the taste model.
 */
export const downVotes = sqliteTable('down_votes', {
  platform: text('platform').notNull(),
  workspace: text('workspace').notNull(),
  /** The channel the paper was delivered to (the ledger's), not the thread the reaction was in. */
  channel: text('channel').notNull(),
  messageId: text('message_id').notNull(),
  userId: text('user_id').notNull(),
  emoji: text('emoji').notNull(),
  paperId: text('paper_id').notNull().references(() => papers.id),
  createdAt: integer('created_at').notNull().default(nowMs),
}, (t) => [primaryKey({ columns: [t.platform, t.workspace, t.messageId, t.userId, t.emoji] })]);

/**
 * A fitted taste model per scope (`c:<platform>:<workspace>:<channel>` or `w:<platform>:<workspace>`), and
 * the scope's reset mark: a model learns only from papers delivered after `resetAt`, so a reset stays.
 */
export const tasteModels = sqliteTable('taste_models', {
  scope: text('scope').primaryKey(),
  resetAt: integer('reset_at').notNull().default(0),
  fittedAt: integer('fitted_at'),
  /** Voted papers, papers marked "not for me", and delivered papers nobody voted on, learned from. */
  positives: integer('positives').notNull().default(0),
  strongNegatives: integer('strong_negatives').notNull().default(0),
  weakNegatives: integer('weak_negatives').notNull().default(0),
  /** The linear model: bias and sparse weights (Int32 feature ids then Float32 weights), or null. */
  bias: real('bias'),
  weights: blob('weights', { mode: 'buffer' }),
  /** What /taste shows and reasons quote: top terms and authors with weights, voted paper ids (newest first). */
  summary: json<{ terms: [string, number][]; authors: [string, number][]; voted: string[] }>('summary'),
});

/**
 * The running bot's heartbeat, one row per process (`paperboy health` reads the newest): written at start,
 * every minute, and once more at a clean stop (`stoppedAt`). `adapters` lists each platform and whether it is connected.
 */
export const heartbeats = sqliteTable('heartbeats', {
  pid: integer('pid').primaryKey(),
  startedAt: integer('started_at').notNull(),
  beatAt: integer('beat_at').notNull(),
  adapters: json<{ platform: string; connected: boolean }[]>('adapters').notNull(),
  schedulerRunning: integer('scheduler_running', { mode: 'boolean' }).notNull(),
  scheduledTasks: integer('scheduled_tasks').notNull(),
  stoppedAt: integer('stopped_at'),
}, (t) => [index('heartbeats_beat_idx').on(t.beatAt)]);

/*
 * The search index's own postings (core/papers/search-index/): the exact top results of BM25 over every
 * paper without scoring every match. Built from papers in segments; papers_fts stays the full-text index
 * for phrases, prefixes, author filters and snippets, and the papers table the source of truth.
 */

/** A batch of indexed papers: their pks (ascending), token counts and publication days, aligned. */
export const searchSegments = sqliteTable('search_segments', {
  id: integer('id').primaryKey(),
  docs: blob('docs', { mode: 'buffer' }).notNull(),
  lengths: blob('lengths', { mode: 'buffer' }).notNull(),
  days: blob('days', { mode: 'buffer' }).notNull(),
  /** The average paper length the chunks' score bounds were computed with. */
  averageLength: real('average_length').notNull(),
  /** Each paper's category filter terms, in `docs` order: a count, then that many indexes into `filterTerms`. */
  filters: blob('filters', { mode: 'buffer' }).notNull().default(sql`x''`),
  /** The filter terms `filters` points into, as a JSON array. */
  filterTerms: text('filter_terms').notNull().default('[]'),
  createdAt: integer('created_at').notNull(),
});

/**
 * Up to 4,096 postings of one term in one segment: pks ascending, weighted term frequencies, and the
 * highest score term frequency part of each block of 64 (as computed with the segment's average length).
 */
export const searchChunks = sqliteTable('search_chunks', {
  id: integer('id').primaryKey(),
  term: text('term').notNull(),
  segment: integer('segment').notNull(),
  firstPk: integer('first_pk').notNull(),
  lastPk: integer('last_pk').notNull(),
  count: integer('count').notNull(),
  bound: real('bound').notNull(),
  pks: blob('pks', { mode: 'buffer' }).notNull(),
  freqs: blob('freqs', { mode: 'buffer' }).notNull(),
  bounds: blob('bounds', { mode: 'buffer' }).notNull(),
}, (t) => [
  index('search_chunks_term_idx').on(t.term, t.segment, t.firstPk, t.lastPk, t.count, t.bound),
  index('search_chunks_segment_idx').on(t.segment),
]);

/** Terms of paper versions that were indexed and later replaced: they still sit in their segment's postings. */
export const searchDeadTerms = sqliteTable('search_dead_terms', {
  segment: integer('segment').notNull(),
  term: text('term').notNull(),
  count: integer('count').notNull(),
}, (t) => [primaryKey({ columns: [t.segment, t.term] })]);

/**
 * Papers changed since they were indexed (filled by a trigger on papers), with the indexed version's
 * text, whose terms then leave the statistics.
 */
export const searchPending = sqliteTable('search_pending', {
  pk: integer('pk').primaryKey(),
  /** Bumped by every change after the first: a catch-up that read an earlier one leaves the row. */
  changes: integer('changes').notNull().default(1),
  title: text('title').notNull(),
  authors: text('authors').notNull(),
  abstract: text('abstract').notNull(),
  categories: text('categories').notNull(),
});

/** How far the index has got: the highest pk indexed, and a generation bumped at every change. */
export const searchState = sqliteTable('search_state', {
  key: text('key').primaryKey(),
  value: integer('value').notNull(),
});
