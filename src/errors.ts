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

/** An outside service failed: down, slow, rate limited or answering an error status. */
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
