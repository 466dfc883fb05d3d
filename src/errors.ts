/**
 * Errors with stable codes. The CLI maps a code to its exit status and adapters map it to a short
 * message; nothing above this file needs to know which library or service failed.
 * @module
 */

export type ErrorCode = 'bad_input' | 'not_found' | 'upstream_unavailable' | 'internal';

export class PaperboyError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PaperboyError';
    this.code = code;
  }
}

/** The user gave something we cannot use. The message says what would work. */
export class BadInputError extends PaperboyError {
  constructor(message: string) {
    super('bad_input', message);
    this.name = 'BadInputError';
  }
}

export class NotFoundError extends PaperboyError {
  constructor(message: string) {
    super('not_found', message);
    this.name = 'NotFoundError';
  }
}

export type UpstreamSource = 'huggingface' | 'arxiv' | 'llm' | 'discord' | 'slack';

const SOURCE_NAMES: Record<UpstreamSource, string> = {
  huggingface: 'Hugging Face',
  arxiv: 'arXiv',
  llm: 'The language model',
  discord: 'Discord',
  slack: 'Slack',
};

/** The name of a source as users know it: `Hugging Face`, `arXiv`. */
export function sourceName(source: UpstreamSource): string {
  return SOURCE_NAMES[source];
}

/**
 * An outside service failed: down, slow, rate limited or answering an error status. The message states
 * what happened ("Hugging Face did not answer within 5 s"); what the user should do is added by
 * {@link userMessage}.
 */
export class UpstreamError extends PaperboyError {
  readonly source: UpstreamSource;
  readonly status: number | undefined;
  readonly retryAfterMs: number | undefined;
  constructor(
    source: UpstreamSource,
    message: string,
    details: { status?: number; retryAfterMs?: number; cause?: unknown } = {},
  ) {
    super('upstream_unavailable', message, { cause: details.cause });
    this.name = 'UpstreamError';
    this.source = source;
    this.status = details.status;
    this.retryAfterMs = details.retryAfterMs;
  }
}

/** An outside service answered, but with a body we cannot read. Never retried. */
export class BadPayloadError extends UpstreamError {
  constructor(source: UpstreamSource, message: string, cause?: unknown) {
    super(source, message, { cause });
    this.name = 'BadPayloadError';
  }
}

export function isPaperboyError(err: unknown): err is PaperboyError {
  return err instanceof PaperboyError;
}

/** Exit codes of bin/paperboy: 0 found, 1 not found, 2 bad input, 3 upstream unavailable, 4 our own failure. */
export function exitCodeFor(err: unknown): number {
  return isPaperboyError(err) ? exitCodeForCode(err.code) : 4;
}

export function exitCodeForCode(code: ErrorCode): number {
  switch (code) {
    case 'not_found':
      return 1;
    case 'bad_input':
      return 2;
    case 'upstream_unavailable':
      return 3;
    case 'internal':
      return 4;
  }
}

/**
 * The line a user reads for a failure: the one place it is composed. An upstream failure says which
 * service, what happened and when to try again; other Paperboy errors are their own message.
 */
export function userMessage(err: unknown): string {
  if (err instanceof UpstreamError) {
    const name = sourceName(err.source);
    const fact = err.message.startsWith(`${name} `) ? `it ${err.message.slice(name.length + 1)}` : lowerFirst(err.message);
    const minutes = err.retryAfterMs !== undefined && err.retryAfterMs > 60_000 ? Math.ceil(err.retryAfterMs / 60_000) : undefined;
    const when = minutes ? `in ${minutes} minutes` : 'in a few minutes';
    return `${name} is unavailable right now: ${fact.replace(/[.;:\s]+$/, '')}. Try again ${when}.`;
  }
  if (isPaperboyError(err)) return err.message;
  return 'Something went wrong on our side; it has been logged. Try again, or /help.';
}

function lowerFirst(text: string): string {
  // "Could not reach …" reads on after a colon; names ("Hugging Face") and codes stay as they are.
  return /^[A-Z][a-z]+ [a-z]/.test(text) ? text[0]!.toLowerCase() + text.slice(1) : text;
}
