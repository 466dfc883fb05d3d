/**
 * The one place the environment is read. Everything else receives a typed, validated Config.
 * A missing or malformed value stops start-up with one line naming the variable and what is wrong.
 * @module
 */
import { existsSync, readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';
import { z } from 'zod';

const optionalText = z
  .string()
  .trim()
  .transform((s) => (s === '' ? undefined : s))
  .optional();

const url = (fallback: string) =>
  z
    .string()
    .trim()
    .transform((s) => (s === '' ? fallback : s))
    .default(fallback)
    .pipe(z.url({ protocol: /^https?$/, error: 'must be an http(s) URL, e.g. ' + fallback }))
    .transform((s) => s.replace(/\/+$/, ''));

const optionalUrl = z
  .string()
  .trim()
  .transform((s) => (s === '' ? undefined : s))
  .pipe(z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional())
  .optional();

const int = (fallback: number, min: number, max: number) =>
  z
    .string()
    .trim()
    .transform((s) => (s === '' ? String(fallback) : s))
    .default(String(fallback))
    .pipe(
      z.coerce
        .number<string>({ error: `must be a whole number between ${min} and ${max}` })
        .int(`must be a whole number between ${min} and ${max}`)
        .min(min, `must be at least ${min}`)
        .max(max, `must be at most ${max}`),
    );

const EnvSchema = z.object({
  DATABASE_PATH: z
    .string()
    .trim()
    .transform((s) => (s === '' ? './data/paperboy.db' : s))
    .default('./data/paperboy.db'),
  LOG_LEVEL: z
    .string()
    .trim()
    .transform((s) => (s === '' ? 'info' : s.toLowerCase()))
    .default('info')
    .pipe(z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], { error: 'must be one of fatal, error, warn, info, debug, trace, silent' })),
  LOG_FORMAT: z
    .string()
    .trim()
    .transform((s) => (s === '' ? 'auto' : s.toLowerCase()))
    .default('auto')
    .pipe(z.enum(['auto', 'pretty', 'json'], { error: 'must be auto, pretty or json' })),
  HTTP_TIMEOUT_MS: int(15_000, 100, 300_000),
  HTTP_RETRIES: int(3, 0, 10),
  HTTP_MAX_RETRY_AFTER_MS: int(60_000, 0, 3_600_000),
  HTTP_MAX_BODY_BYTES: int(16 * 1024 * 1024, 1024, 1024 * 1024 * 1024),
  LOOKUP_BUDGET_MS: int(5000, 100, 300_000),
  SEARCH_VECTOR_BUDGET_MS: int(1500, 50, 300_000),
  DIGEST_LIST_BUDGET_MS: int(5000, 100, 300_000),
  TEXT_BUDGET_MS: int(4000, 100, 600_000),
  HF_API_URL: url('https://huggingface.co'),
  HF_TOKEN: optionalText,
  ARXIV_API_URL: url('https://export.arxiv.org/api/query'),
  ARXIV_MIN_INTERVAL_MS: int(3000, 0, 600_000),
  LLM_BASE_URL: optionalUrl,
  LLM_API_KEY: optionalText,
  LLM_MODEL: optionalText,
  LLM_EMBEDDINGS_MODEL: optionalText,
  LLM_TIMEOUT_MS: int(60_000, 1000, 600_000),
  LLM_CONCURRENCY: int(2, 1, 32),
  LLM_REQUESTS_PER_MINUTE: int(60, 0, 100_000),
  DISCORD_TOKEN: optionalText,
  DISCORD_APP_ID: z
    .string()
    .trim()
    .transform((s) => (s === '' ? undefined : s))
    .pipe(z.string().regex(/^\d{15,22}$/, 'must be the numeric application id from the Developer Portal').optional())
    .optional(),
  DISCORD_API_URL: url('https://discord.com/api'),
  SLACK_BOT_TOKEN: optionalText,
  SLACK_APP_TOKEN: optionalText,
  SLACK_SIGNING_SECRET: optionalText,
  SLACK_API_URL: url('https://slack.com/api'),
  SLACK_ADMIN_USERS: z
    .string()
    .trim()
    .default('')
    .transform((s) => s.split(/[\s,]+/).filter(Boolean))
    .pipe(z.array(z.string().regex(/^[UW][A-Z0-9]{2,}$/, 'must be Slack user ids like U012ABCDEF, separated by commas'))),
  PORT: int(3000, 1, 65_535),
  CATCH_UP_WINDOW_HOURS: int(6, 0, 48),
});

export interface Config {
  databasePath: string;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** `auto`: readable lines when stderr is a terminal, JSON lines otherwise. */
  logFormat: 'auto' | 'pretty' | 'json';
  /** The one retry policy for every upstream (HF, arXiv, the LLM, Slack's Web API), and the body size cap. */
  http: { timeoutMs: number; retries: number; maxRetryAfterMs: number; maxBodyBytes: number };
  /**
   * What a chat user waits at most: a paper lookup (both sources side by side, retries only while this
   * lasts), the query embedding of /search before BM25 answers alone, and the Hugging Face lists a
   * /digest fetches before it answers from what is stored or from arXiv, and the language model's
   * text for /paper and /translate before the card goes without it (the text is cached when it comes).
   */
  budgets: { lookupMs: number; vectorSearchMs: number; digestListMs: number; textMs: number };
  hf: { apiUrl: string; token: string | undefined };
  arxiv: { apiUrl: string; minIntervalMs: number };
  /** How late a scheduled digest may still start (a stall, a restart); later, the next digest brings its papers. */
  digest: { catchUpWindowMs: number };
  /** Undefined when no LLM endpoint is configured: summaries fall back to HF's or the abstract. */
  llm:
    | {
        baseUrl: string;
        apiKey: string;
        model: string;
        /** Turns on vector search beside BM25 when set. */
        embeddingsModel: string | undefined;
        timeoutMs: number;
        concurrency: number;
        /** 0 means no limit. */
        requestsPerMinute: number;
      }
    | undefined;
  discord: { token: string; appId: string | undefined; apiUrl: string } | undefined;
  slack:
    | {
        botToken: string;
        appToken: string | undefined;
        signingSecret: string | undefined;
        apiUrl: string;
        port: number;
        /** Users who may change subscriptions besides workspace admins and owners. */
        adminUsers: string[];
      }
    | undefined;
}

/** Thrown when the environment is unusable. Its message is the one line to print. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const name = String(issue?.path[0] ?? 'environment');
    const value = env[name];
    const shown = value === undefined ? '' : ` (got ${JSON.stringify(value.length > 40 ? value.slice(0, 40) + '…' : value)})`;
    throw new ConfigError(`${name} ${issue?.message ?? 'is invalid'}${shown}`);
  }
  const e = parsed.data;

  let llm: Config['llm'];
  if (e.LLM_BASE_URL || e.LLM_MODEL) {
    if (!e.LLM_BASE_URL) throw new ConfigError('LLM_BASE_URL is missing: set it with LLM_MODEL, e.g. http://localhost:11434/v1');
    if (!e.LLM_MODEL) throw new ConfigError('LLM_MODEL is missing: set it with LLM_BASE_URL, e.g. llama3.1');
    // Local servers (Ollama, llama.cpp) accept any key; the openai client insists on one.
    llm = {
      baseUrl: e.LLM_BASE_URL.replace(/\/+$/, ''),
      apiKey: e.LLM_API_KEY ?? 'not-needed',
      model: e.LLM_MODEL,
      embeddingsModel: e.LLM_EMBEDDINGS_MODEL,
      timeoutMs: e.LLM_TIMEOUT_MS,
      concurrency: e.LLM_CONCURRENCY,
      requestsPerMinute: e.LLM_REQUESTS_PER_MINUTE,
    };
  } else if (e.LLM_EMBEDDINGS_MODEL) {
    throw new ConfigError('LLM_BASE_URL and LLM_MODEL are missing: LLM_EMBEDDINGS_MODEL is set, and embeddings use the same endpoint');
  }

  let discord: Config['discord'];
  if (e.DISCORD_TOKEN) discord = { token: e.DISCORD_TOKEN, appId: e.DISCORD_APP_ID, apiUrl: e.DISCORD_API_URL };
  else if (e.DISCORD_APP_ID) throw new ConfigError('DISCORD_TOKEN is missing: DISCORD_APP_ID is set, so set the bot token too');

  let slack: Config['slack'];
  if (e.SLACK_BOT_TOKEN) {
    if (!e.SLACK_APP_TOKEN && !e.SLACK_SIGNING_SECRET) {
      throw new ConfigError('SLACK_APP_TOKEN or SLACK_SIGNING_SECRET is missing: Socket Mode needs the xapp- token, HTTP mode the signing secret');
    }
    slack = {
      botToken: e.SLACK_BOT_TOKEN,
      appToken: e.SLACK_APP_TOKEN,
      signingSecret: e.SLACK_SIGNING_SECRET,
      apiUrl: e.SLACK_API_URL,
      port: e.PORT,
      adminUsers: e.SLACK_ADMIN_USERS,
    };
  }

  return {
    databasePath: e.DATABASE_PATH,
    logLevel: e.LOG_LEVEL,
    logFormat: e.LOG_FORMAT,
    http: { timeoutMs: e.HTTP_TIMEOUT_MS, retries: e.HTTP_RETRIES, maxRetryAfterMs: e.HTTP_MAX_RETRY_AFTER_MS, maxBodyBytes: e.HTTP_MAX_BODY_BYTES },
    budgets: { lookupMs: e.LOOKUP_BUDGET_MS, vectorSearchMs: e.SEARCH_VECTOR_BUDGET_MS, digestListMs: e.DIGEST_LIST_BUDGET_MS, textMs: e.TEXT_BUDGET_MS },
    hf: { apiUrl: e.HF_API_URL, token: e.HF_TOKEN },
    arxiv: { apiUrl: e.ARXIV_API_URL, minIntervalMs: e.ARXIV_MIN_INTERVAL_MS },
    digest: { catchUpWindowMs: e.CATCH_UP_WINDOW_HOURS * 3_600_000 },
    llm,
    discord,
    slack,
  };
}

/**
 * The process environment, over the values of a `.env` file in the working directory when there is
 * one (variables already set win, as with `node --env-file`).
 */
export function readEnvironment(path = '.env', env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  if (!existsSync(path)) return env;
  return { ...parseEnv(readFileSync(path, 'utf8')), ...env };
}
