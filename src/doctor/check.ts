/**
 * What a doctor check reports, and the one HTTP helper the checks share (a time limit, the body as
 * text, and a network failure as a short reason instead of an exception).
 * @module
 */
import type { Config } from '../config.js';

export type CheckStatus = 'ok' | 'warn' | 'fail' | 'skip';

export interface CheckResult {
  /** The part of the setup: configuration, database, sources, llm, discord, slack. */
  area: string;
  /** What was checked, short: `token`, `scopes`, `channel #papers`. */
  name: string;
  status: CheckStatus;
  /** What was found, one line. */
  detail: string;
  /** What to do about a warning or a failure, one line. */
  fix?: string;
}

/** A channel some subscription delivers to, as the doctor checks it. */
export interface SubscribedChannel {
  platform: string;
  workspace: string;
  channel: string;
}

export interface DoctorContext {
  config: Config;
  /** Active subscriptions' channels, read from the database (empty when there is none yet). */
  channels: SubscribedChannel[];
  timeoutMs: number;
}

export const ok = (area: string, name: string, detail: string): CheckResult => ({ area, name, status: 'ok', detail });
export const fail = (area: string, name: string, detail: string, fix: string): CheckResult => ({ area, name, status: 'fail', detail, fix });
export const warn = (area: string, name: string, detail: string, fix?: string): CheckResult => ({ area, name, status: 'warn', detail, ...(fix ? { fix } : {}) });
export const skip = (area: string, name: string, detail: string): CheckResult => ({ area, name, status: 'skip', detail });

export interface Probe {
  status: number;
  headers: Headers;
  text: string;
  ms: number;
}

/** Thrown by `probe` when nothing answered: its message is the short reason. */
export class UnreachableError extends Error {}

function reason(err: unknown): string {
  if (err instanceof Error && err.name === 'TimeoutError') return 'no answer in time';
  const cause = err instanceof Error ? (err.cause as NodeJS.ErrnoException | undefined) : undefined;
  if (cause?.code) return cause.code;
  if (cause?.message) return cause.message;
  return err instanceof Error ? err.message : String(err);
}

export async function probe(url: string, init: RequestInit, timeoutMs: number): Promise<Probe> {
  const started = performance.now();
  for (let attempt = 0; ; attempt++) {
    try {
      const response = await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs), redirect: 'follow' });
      const text = await response.text();
      return { status: response.status, headers: response.headers, text, ms: Math.round(performance.now() - started) };
    } catch (err) {
      // A kept-alive connection the server closed while idle fails once; a read (GET) is safe to send again.
      if (attempt === 0 && (init.method ?? 'GET') === 'GET' && reason(err) === 'ECONNRESET') continue;
      throw new UnreachableError(reason(err));
    }
  }
}

/** The body as JSON, or undefined when it is not JSON. */
export function json(p: Probe): unknown {
  try {
    return JSON.parse(p.text) as unknown;
  } catch {
    return undefined;
  }
}

export const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
