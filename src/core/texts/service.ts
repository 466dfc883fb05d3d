/**
 * Summaries and translations of papers, written once by a language model and served to every
 * channel from the texts table. Each answer is checked and retried once; without a model, or when it
 * fails, summaries fall back to Hugging Face's AI summary or the abstract's first sentences.
 * @module
 */
import type { Database } from '../../db/database.js';
import { BadInputError } from '../../errors.js';
import type { Completion, LanguageModel } from './language-model.js';
import { parseLanguage, parseStyle, type Language, type SummaryStyle } from './languages.js';
import type { Paper } from '../papers/paper.js';
import { PROMPT_VERSION, retryNote, summaryPrompt, translationPrompt, type Prompt } from './prompts.js';
import { keyString, TextCache, type StoredText, type StoredTotals, type TextKey } from './cache.js';
import { checkSummary, checkTranslation, type AnswerFacts, type CheckResult } from './checks.js';
import { FALLBACK_LANGUAGE, fallbackSummary, originalText } from './fallback.js';

export type { SummaryStyle } from './languages.js';
export type { LanguageModel } from './language-model.js';

export interface TextResult {
  text: string;
  /** The language actually delivered: the asked one, or `en` for a fallback. */
  language: string;
  /** True when the text is not model-written in the asked language (HF summary, abstract, original). */
  fallback: boolean;
  source: 'llm' | 'cache' | 'hf' | 'abstract';
  /**
   * True when the model was still writing once the budget was spent: `text` is the stand-in (a
   * fallback), and the model's text is cached when it comes, for the next request.
   */
  pending?: boolean;
}

export interface TextOptions {
  /** Wait for the model at most the reply budget (TextsDeps.budgetMs); a digest leaves it off and waits. */
  withinBudget?: boolean;
}

/** What this process did since it started; the stored rows hold all-time totals. */
export interface SessionCounters {
  since: number;
  /** Summaries and translations asked for while a model was configured. */
  requests: number;
  /** Served from the texts table. */
  cacheHits: number;
  /** Joined a call already under way for the same text (single flight). */
  sharedCalls: number;
  llmCalls: number;
  llmFailures: number;
  /** Answers refused by the checks (empty, wrong language, too long, wrong shape). */
  rejectedAnswers: number;
  fallbacks: number;
  promptTokens: number;
  completionTokens: number;
  lastProblem: string | undefined;
}

export interface TextStats {
  enabled: boolean;
  model: string | undefined;
  session: SessionCounters;
  stored: StoredTotals;
}

export interface TextsDeps {
  database: Database;
  /** Undefined when no endpoint is configured: summaries fall back, translations are refused. */
  llm?: LanguageModel | undefined;
  now?: () => number;
  /** How long a reply waits for the model (`withinBudget`); default 4 s. */
  budgetMs?: number | undefined;
}

/** Why /translate cannot work yet, and how to fix that. */
export const LLM_SETUP_HINT =
  'Translation needs a language model. Set LLM_BASE_URL to an OpenAI-compatible endpoint ' +
  '(e.g. http://localhost:11434/v1 for Ollama, https://api.openai.com/v1 for OpenAI) and LLM_MODEL ' +
  '(e.g. llama3.1 or gpt-4o-mini), plus LLM_API_KEY if it needs one, then restart Paperboy.';

const TRANSLATION_STYLE = 'full';

type Check = (completion: Completion) => CheckResult;

export class Texts {
  /** True when a language model is configured. */
  readonly enabled: boolean;
  private readonly llm: LanguageModel | undefined;
  private readonly cache: TextCache;
  private readonly now: () => number;
  private readonly inflight = new Map<string, Promise<TextResult>>();
  private readonly counters: SessionCounters;
  private readonly budgetMs: number;

  constructor(deps: TextsDeps) {
    this.llm = deps.llm;
    this.budgetMs = deps.budgetMs ?? 4000;
    this.enabled = deps.llm !== undefined;
    this.cache = new TextCache(deps.database);
    this.now = deps.now ?? Date.now;
    this.counters = {
      since: this.now(), requests: 0, cacheHits: 0, sharedCalls: 0, llmCalls: 0, llmFailures: 0,
      rejectedAnswers: 0, fallbacks: 0, promptTokens: 0, completionTokens: 0, lastProblem: undefined,
    };
  }

  /** A summary of `paper` in `style`, in `language` (a code or name) when a model can write it. */
  async summary(paper: Paper, style: SummaryStyle, language: string, options: TextOptions = {}): Promise<TextResult> {
    const lang = parseLanguage(language);
    const checkedStyle = parseStyle(style);
    const fallback = (): TextResult => {
      this.counters.fallbacks++;
      const { text, source } = fallbackSummary(paper, checkedStyle);
      return { text, language: FALLBACK_LANGUAGE, fallback: true, source };
    };
    // Without an abstract a model has nothing to summarise but would write something anyway.
    if (!this.llm || paper.abstract.trim() === '') return fallback();
    const key = this.key(paper, 'summary', checkedStyle, lang);
    const prompt = summaryPrompt(paper, checkedStyle, lang);
    const call = this.once(key, paper, (stale) =>
      this.generate(key, lang, prompt, (c) => checkSummary(c.text, checkedStyle, facts(c, prompt, lang)), stale, fallback),
    );
    return this.waited(call, options, () => ({ ...fallbackSummary(paper, checkedStyle), language: FALLBACK_LANGUAGE, fallback: true, pending: true }));
  }

  /**
   * The title and the whole abstract in `language`, as `title\n\nabstract` (see splitTranslation).
   * Without a model: a BadInputError saying how to configure one. When the model fails: the original.
   */
  async translation(paper: Paper, language: string, options: TextOptions = {}): Promise<TextResult> {
    const lang = parseLanguage(language);
    if (!this.llm) throw new BadInputError(LLM_SETUP_HINT);
    const original = (): TextResult => ({ text: originalText(paper), language: FALLBACK_LANGUAGE, fallback: lang.code !== FALLBACK_LANGUAGE, source: 'abstract' });
    if (lang.code === FALLBACK_LANGUAGE) return original();
    const key = this.key(paper, 'translation', TRANSLATION_STYLE, lang);
    const prompt = translationPrompt(paper, lang);
    const fallback = (): TextResult => {
      this.counters.fallbacks++;
      return original();
    };
    const call = this.once(key, paper, (stale) =>
      this.generate(key, lang, prompt, (c) => checkTranslation(c.text, paper.abstract, facts(c, prompt, lang)), stale, fallback),
    );
    return this.waited(call, options, () => ({ ...original(), pending: true }));
  }

  /** Calls, tokens and cache hits: this process's counters and the stored totals. */
  stats(): TextStats {
    return { enabled: this.enabled, model: this.llm?.model, session: { ...this.counters }, stored: this.cache.totals() };
  }

  /**
   * The call's result, or with `withinBudget` the stand-in once the budget is spent. The call goes on
   * (still shared by whoever asks for the same text) and caches its text when it comes.
   */
  private async waited(call: Promise<TextResult>, options: TextOptions, standIn: () => TextResult): Promise<TextResult> {
    if (!options.withinBudget) return call;
    let timer: NodeJS.Timeout | undefined;
    const spent = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), this.budgetMs)));
    try {
      return (await Promise.race([call, spent])) ?? standIn();
    } finally {
      clearTimeout(timer);
    }
  }

  private key(paper: Paper, kind: TextKey['kind'], style: string, language: Language): TextKey {
    return { paperId: paper.id, kind, style, language: language.code, model: this.llm?.model ?? '', promptVersion: PROMPT_VERSION };
  }

  /**
   * Serves the stored text, or joins the call already writing it, or starts that call. Everything
   * from the caller to starting the call is synchronous (no await before it in summary() and
   * translation()), so concurrent askers of one key always meet here.
   */
  private once(key: TextKey, paper: Paper, write: (stale: StoredText | undefined) => Promise<TextResult>): Promise<TextResult> {
    this.counters.requests++;
    const id = keyString(key);
    const running = this.inflight.get(id);
    if (running) {
      this.counters.sharedCalls++;
      return running;
    }
    const stored = this.cache.get(key);
    // A text written before arXiv replaced the paper with a newer version describes the old one.
    const stale = stored && paper.revisedAt !== null && stored.createdAt < paper.revisedAt;
    if (stored && !stale) {
      this.counters.cacheHits++;
      this.cache.recordHit(stored.id);
      return Promise.resolve({ text: stored.body, language: key.language, fallback: false, source: 'cache' });
    }
    const call = write(stored).finally(() => this.inflight.delete(id));
    this.inflight.set(id, call);
    return call;
  }

  /** One call and, if its answer fails the checks, one retry that says why; then the fallback. */
  private async generate(
    key: TextKey, language: Language, prompt: Prompt, check: Check, stale: StoredText | undefined, fallback: () => TextResult,
  ): Promise<TextResult> {
    const llm = this.llm!;
    const usage = { promptTokens: undefined as number | undefined, completionTokens: undefined as number | undefined };
    let system = prompt.system;
    for (let attempt = 0; attempt < 2; attempt++) {
      let completion: Completion;
      this.counters.llmCalls++;
      try {
        completion = await llm.complete({ system, user: prompt.user, maxTokens: prompt.maxTokens });
      } catch (err) {
        // The client has already retried what was worth retrying: a second attempt here would double the wait.
        this.counters.llmFailures++;
        this.counters.lastProblem = err instanceof Error ? err.message : String(err);
        break;
      }
      usage.promptTokens = add(usage.promptTokens, completion.promptTokens);
      usage.completionTokens = add(usage.completionTokens, completion.completionTokens);
      this.counters.promptTokens += completion.promptTokens ?? 0;
      this.counters.completionTokens += completion.completionTokens ?? 0;
      const result = check(completion);
      if (result.ok) {
        this.cache.put(key, result.text, usage, this.now());
        return { text: result.text, language: key.language, fallback: false, source: 'llm' };
      }
      this.counters.rejectedAnswers++;
      this.counters.lastProblem = `answer for ${key.paperId} (${key.kind} ${key.style} ${key.language}) refused: ${result.problem}`;
      system = `${prompt.system}\n${retryNote(result.problem, language)}`;
    }
    // An older model-written text beats the English fallback.
    if (stale) return { text: stale.body, language: key.language, fallback: false, source: 'cache' };
    return fallback();
  }
}

function facts(completion: Completion, prompt: Prompt, language: Language): AnswerFacts {
  return { truncated: completion.truncated, maxChars: prompt.maxChars, language };
}

function add(total: number | undefined, more: number | undefined): number | undefined {
  return more === undefined ? total : (total ?? 0) + more;
}
