/**
 * `paperboy stats` as text: language model calls, tokens and the cache hit rate. All-time figures
 * come from the texts table; a process's own counters are added when it has made requests.
 * @module
 */
import type { TextStats } from './service.js';

const n = (value: number) => value.toLocaleString('en-US');
const percent = (part: number, whole: number) => (whole === 0 ? '–' : `${Math.round((100 * part) / whole)}%`);

export function describeTextStats(stats: TextStats): string {
  const { stored, session } = stats;
  const lines = [
    stats.model
      ? `Language model: ${stats.model}`
      : 'Language model: none configured (summaries use Hugging Face\'s AI summary or the abstract; set LLM_BASE_URL and LLM_MODEL)',
    `LLM calls: ${n(stored.texts)} stored texts written (${n(stored.summaries)} summaries, ${n(stored.translations)} translations), one call each, two when the first answer was refused`,
  ];
  if (stored.byModel.length > 1) lines.push(`  by model: ${stored.byModel.map((m) => `${m.model} ${n(m.texts)}`).join(', ')}`);
  const tokens = stored.promptTokens + stored.completionTokens;
  lines.push(`Tokens: ${n(tokens)} (${n(stored.promptTokens)} prompt, ${n(stored.completionTokens)} completion)`);
  lines.push(`Cache hit rate: ${percent(stored.hits, stored.hits + stored.texts)} (${n(stored.hits)} served from the cache, ${n(stored.texts)} written)`);
  if (session.requests > 0) {
    const served = session.cacheHits + session.sharedCalls;
    lines.push(
      `This run: ${n(session.requests)} requests, ${n(session.llmCalls)} calls (${n(session.llmFailures)} failed, ${n(session.rejectedAnswers)} answers refused), ` +
        `${n(session.fallbacks)} fallbacks, ${n(session.promptTokens + session.completionTokens)} tokens, cache hit rate ${percent(served, session.requests)}`,
    );
    if (session.lastProblem) lines.push(`Last problem: ${session.lastProblem}`);
  }
  return lines.join('\n');
}
