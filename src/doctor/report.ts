/**
 * The doctor's checklist as text: one line per check, the fix under each problem, a summary line.
 * @module
 */
import type { CheckResult, CheckStatus } from './check.js';

const MARKS: Record<CheckStatus, string> = { ok: '✓', warn: '!', fail: '✗', skip: '–' };

export function checkLine(r: CheckResult): string {
  const head = `${MARKS[r.status]} ${r.area} ${r.name}: ${r.detail}`;
  return r.fix && r.status !== 'ok' ? `${head}\n    fix: ${r.fix}` : head;
}

export function summaryLine(results: readonly CheckResult[]): string {
  const failed = results.filter((r) => r.status === 'fail');
  const warned = results.filter((r) => r.status === 'warn');
  const notes = warned.length ? `, ${warned.length} warning${warned.length === 1 ? '' : 's'}` : '';
  if (failed.length === 0) return `All checks passed${notes}.`;
  return `${failed.length} problem${failed.length === 1 ? '' : 's'}${notes}: ${failed.map((r) => `${r.area} ${r.name}`).join(', ')}.`;
}
