/**
 * What the core needs from a language model: one chat completion at a time, and optionally
 * embeddings. src/sources/llm.ts implements it over any OpenAI-compatible endpoint; tests may
 * implement it directly.
 * @module
 */

export interface CompletionRequest {
  system: string;
  user: string;
  /** Upper bound on the answer, in tokens. */
  maxTokens: number;
}

export interface Completion {
  text: string;
  /** The model stopped at `maxTokens`: the text is cut off. */
  truncated: boolean;
  /** Token counts as the endpoint reported them; undefined when it did not. */
  promptTokens: number | undefined;
  completionTokens: number | undefined;
}

export interface LanguageModel {
  /** The model name, part of every cached text's key. */
  readonly model: string;
  /**
   * One completion. Throws UpstreamError('llm', …) when the endpoint is down, slow, rate limiting or
   * failing; implementations do their own retries, limits and timeouts.
   */
  complete(request: CompletionRequest): Promise<Completion>;
  /** The embeddings model, when one is configured. */
  readonly embeddingsModel?: string | undefined;
  /** One vector per input, in order. Present when `embeddingsModel` is. */
  embed?(inputs: readonly string[]): Promise<number[][]>;
}
