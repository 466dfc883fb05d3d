/**
 * The language model client: chat completions and embeddings from any OpenAI-compatible endpoint
 * (OpenAI, Ollama, vLLM, llama.cpp, LM Studio, gateways) through the `openai` package, its own retries
 * off. Every request passes one gate (concurrency and requests per minute) and follows the shared retry
 * policy (retry.ts: HTTP_RETRIES, HTTP_MAX_RETRY_AFTER_MS) under its own time limit. After failures in
 * a row a breaker refuses calls at once, so a digest with the endpoint down falls back without waiting
 * out every timeout; after a short pause one call probes, and its success closes the breaker.
 * @module
 */
import OpenAI, { APIConnectionError, APIConnectionTimeoutError, APIError } from 'openai';
import { BadPayloadError, UpstreamError } from '../errors.js';
import type { Completion, CompletionRequest, LanguageModel } from '../core/texts/language-model.js';
import { parseRetryAfter, realSleep, withRetries, type Sleep } from './retry.js';
import { RequestGate } from './llm-gate.js';

/** How to reach the endpoint and how hard to use it (Config.llm). */
export interface LlmSettings {
  baseUrl: string;
  apiKey: string;
  model: string;
  embeddingsModel?: string | undefined;
  /** Limit for one request, from sending it to the end of the answer. */
  timeoutMs: number;
  concurrency: number;
  /** 0 for no limit. */
  requestsPerMinute: number;
}

export interface LlmClientOptions {
  sleep?: Sleep;
  /** Monotonic milliseconds, for the gate and the pause after failures. */
  now?: () => number;
  /** Extra attempts after a 408, 409, 429, 5xx or lost connection (Config.http.retries); default 1. */
  retries?: number;
  /** Longest `Retry-After` waited for before a retry; a longer one fails at once (Config.http.maxRetryAfterMs). */
  maxRetryAfterMs?: number;
  /** Failed calls in a row after which the breaker opens. */
  failuresBeforePause?: number;
  /** How long the open breaker refuses calls before one probe may go through; default 5 s. */
  pauseMs?: number;
}

const EMBEDDING_BATCH = 64;
// Embedding models take about 8k tokens; a title and an abstract fit easily.
const EMBEDDING_INPUT_CHARS = 8000;

export class LlmClient implements LanguageModel {
  readonly model: string;
  readonly embeddingsModel: string | undefined;
  readonly #client: OpenAI;
  readonly #gate: RequestGate;
  readonly #settings: LlmSettings;
  readonly #sleep: Sleep;
  readonly #now: () => number;
  readonly #retries: number;
  readonly #maxRetryAfterMs: number;
  readonly #failuresBeforePause: number;
  readonly #pauseMs: number;
  #failuresInARow = 0;
  #pausedUntil = Number.NEGATIVE_INFINITY;
  /** True while the one call let through an open breaker is running. */
  #probing = false;
  /** Aborts every request in flight (close). */
  readonly #closing = new AbortController();
  /** OpenAI's newer models refuse `max_tokens`; switched on the first such refusal. */
  #tokenLimitField: 'max_tokens' | 'max_completion_tokens' = 'max_tokens';

  constructor(settings: LlmSettings, options: LlmClientOptions = {}) {
    this.#settings = settings;
    this.model = settings.model;
    this.embeddingsModel = settings.embeddingsModel;
    this.#sleep = options.sleep ?? realSleep;
    this.#now = options.now ?? (() => performance.now());
    this.#retries = options.retries ?? 1;
    this.#maxRetryAfterMs = options.maxRetryAfterMs ?? 30_000;
    this.#failuresBeforePause = options.failuresBeforePause ?? 3;
    this.#pauseMs = options.pauseMs ?? 5_000;
    this.#gate = new RequestGate({ concurrency: settings.concurrency, perMinute: settings.requestsPerMinute, now: this.#now, sleep: this.#sleep });
    this.#client = new OpenAI({
      apiKey: settings.apiKey,
      baseURL: settings.baseUrl,
      // Retries happen here, through the gate, so they count against the limits.
      maxRetries: 0,
      timeout: settings.timeoutMs,
      organization: null,
      project: null,
    });
  }

  /** Cancels every request in flight and waiting; later calls fail at once. */
  close(): void {
    this.#closing.abort(new UpstreamError('llm', 'The language model client was closed'));
  }

  /** Requests running and waiting at the gate now. */
  get load(): { active: number; waiting: number } {
    return { active: this.#gate.active, waiting: this.#gate.waiting };
  }

  async complete(request: CompletionRequest): Promise<Completion> {
    const response = await this.#call('chat', (signal) =>
      this.#client.chat.completions.create(
        {
          model: this.model,
          messages: [{ role: 'system', content: request.system }, { role: 'user', content: request.user }],
          [this.#tokenLimitField]: request.maxTokens,
        },
        { signal },
      ),
    );
    const choice = response.choices?.[0];
    if (!choice) throw new BadPayloadError('llm', 'The language model answered without a choice');
    return {
      text: typeof choice.message?.content === 'string' ? choice.message.content : '',
      truncated: choice.finish_reason === 'length',
      promptTokens: response.usage?.prompt_tokens,
      completionTokens: response.usage?.completion_tokens,
    };
  }

  async embed(inputs: readonly string[]): Promise<number[][]> {
    const model = this.embeddingsModel;
    if (!model) throw new UpstreamError('llm', 'No embeddings model is configured (LLM_EMBEDDINGS_MODEL)');
    const vectors: number[][] = [];
    for (let i = 0; i < inputs.length; i += EMBEDDING_BATCH) {
      const batch = inputs.slice(i, i + EMBEDDING_BATCH).map((s) => s.slice(0, EMBEDDING_INPUT_CHARS) || ' ');
      const response = await this.#call('embeddings', (signal) =>
        this.#client.embeddings.create({ model, input: batch, encoding_format: 'float' }, { signal }),
      );
      const data = [...(response.data ?? [])].sort((a, b) => a.index - b.index);
      if (data.length !== batch.length || data.some((d) => !Array.isArray(d.embedding))) {
        throw new BadPayloadError('llm', `The embeddings endpoint returned ${data.length} vectors for ${batch.length} inputs`);
      }
      vectors.push(...data.map((d) => d.embedding));
    }
    return vectors;
  }

  /** One request through the gate under the shared retry policy, behind the breaker. */
  async #call<T>(what: string, send: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const probe = this.#admit();
    const policy = { timeoutMs: this.#settings.timeoutMs, retries: this.#retries, maxRetryAfterMs: this.#maxRetryAfterMs, sleep: this.#sleep, now: this.#now };
    try {
      const result = await withRetries(
        policy,
        { signal: this.#closing.signal },
        (begin) =>
          this.#gate.run(async () => {
            const signal = begin();
            const attempt = async () => {
              try {
                return await send(signal);
              } catch (err) {
                throw signal.aborted && !this.#closing.signal.aborted ? new APIConnectionTimeoutError() : err;
              }
            };
            try {
              return await attempt();
            } catch (err) {
              // The same attempt, asked the way this endpoint wants.
              if (this.#switchesTokenField(err)) return attempt();
              throw err;
            }
          }),
        (err) => ({ error: this.#upstreamError(what, err), retryable: isRetryable(err) }),
      );
      this.#failuresInARow = 0;
      this.#pausedUntil = Number.NEGATIVE_INFINITY;
      return result;
    } catch (err) {
      if (++this.#failuresInARow >= this.#failuresBeforePause || probe) this.#pausedUntil = this.#now() + this.#pauseMs;
      throw err;
    } finally {
      if (probe) this.#probing = false;
    }
  }

  /** Refuses the call while the breaker is open; returns true when this call is the probe. */
  #admit(): boolean {
    if (this.#failuresInARow < this.#failuresBeforePause) return false;
    const now = this.#now();
    if (now < this.#pausedUntil || this.#probing) {
      const seconds = Math.max(1, Math.ceil((this.#pausedUntil - now) / 1000));
      throw new UpstreamError('llm', `The language model failed ${this.#failuresInARow} times in a row; Paperboy asks it again in ${seconds} s`);
    }
    this.#probing = true;
    return true;
  }

  #switchesTokenField(err: unknown): boolean {
    if (this.#tokenLimitField === 'max_tokens' && err instanceof APIError && err.status === 400 && /max_completion_tokens/.test(err.message)) {
      this.#tokenLimitField = 'max_completion_tokens';
      return true;
    }
    return false;
  }

  #upstreamError(what: string, err: unknown): UpstreamError {
    if (err instanceof UpstreamError) return err;
    const where = this.#settings.baseUrl;
    if (err instanceof APIConnectionTimeoutError) {
      return new UpstreamError('llm', `The language model did not answer within ${Math.round(this.#settings.timeoutMs / 100) / 10} s`, { cause: err });
    }
    if (err instanceof APIConnectionError) {
      return new UpstreamError('llm', `Could not reach the language model at ${where}; check LLM_BASE_URL`, { cause: err });
    }
    if (err instanceof APIError && typeof err.status === 'number') {
      const retryAfterMs = retryAfter(err.headers as Headers | undefined);
      const hint = err.status === 401 || err.status === 403 ? ': check LLM_API_KEY'
        : err.status === 404 ? `: check LLM_BASE_URL and the model name (${what === 'chat' ? 'LLM_MODEL' : 'LLM_EMBEDDINGS_MODEL'})`
          : err.status === 429 ? ' (rate limited)' : '';
      return new UpstreamError('llm', `The language model answered HTTP ${err.status}${hint}`, {
        status: err.status, ...(retryAfterMs === undefined ? {} : { retryAfterMs }), cause: err,
      });
    }
    return new BadPayloadError('llm', `The language model sent a reply we cannot read (${err instanceof Error ? err.message : String(err)})`, err);
  }
}

/** OpenAI sends `retry-after-ms` beside the standard `retry-after` (seconds or an HTTP date). */
function retryAfter(headers: Headers | undefined): number | undefined {
  const ms = headers?.get('retry-after-ms');
  if (ms && /^\d+(\.\d+)?$/.test(ms.trim())) return Math.round(Number(ms));
  return parseRetryAfter(headers?.get('retry-after') ?? null);
}

/** 408, 409, 429, 5xx and lost connections may pass on a second try; a timeout would only double the wait. */
function isRetryable(err: unknown): boolean {
  if (err instanceof APIConnectionTimeoutError) return false;
  if (err instanceof APIConnectionError) return true;
  return err instanceof APIError && typeof err.status === 'number' && (err.status === 408 || err.status === 409 || err.status === 429 || err.status >= 500);
}
