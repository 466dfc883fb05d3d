/**
 * Log records for people: pino's JSON line turned into one short line (time, level, message, the key
 * fields), with an error's stack only when asked for (debug and trace levels).
 * @module
 */

const LEVEL_NAMES: Readonly<Record<number, string>> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };
/** Fields that are the line's frame, not its content. */
const FRAME = new Set(['level', 'time', 'msg', 'err', 'pid', 'hostname', 'component']);
const MAX_VALUE = 80;

interface ErrorRecord {
  message?: unknown;
  stack?: unknown;
}

function clock(ms: number): string {
  const d = new Date(ms);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
}

function shortValue(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  const one = text.replace(/\s+/g, ' ');
  const cut = one.length > MAX_VALUE ? `${one.slice(0, MAX_VALUE - 1)}…` : one;
  return /[\s"=]/.test(cut) || cut === '' ? JSON.stringify(cut) : cut;
}

/** One pino JSON record as a readable line (ending in a newline); a line that is not JSON passes as it is. */
export function formatLogLine(json: string, options: { stacks: boolean }): string {
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return json.endsWith('\n') ? json : `${json}\n`;
  }
  const level = LEVEL_NAMES[Number(record.level)] ?? String(record.level);
  const time = typeof record.time === 'number' ? clock(record.time) : '--:--:--';
  const component = typeof record.component === 'string' ? `${record.component}: ` : '';
  const err = (typeof record.err === 'object' && record.err !== null ? record.err : undefined) as ErrorRecord | undefined;
  let message = typeof record.msg === 'string' ? record.msg : '';
  const errMessage = typeof err?.message === 'string' ? err.message.split('\n')[0] : undefined;
  if (errMessage && !message.includes(errMessage)) message = message ? `${message}: ${errMessage}` : errMessage;
  const fields = Object.entries(record)
    .filter(([key, value]) => !FRAME.has(key) && value !== undefined && value !== null)
    .map(([key, value]) => `${key}=${shortValue(value)}`);
  let line = `${time} ${level.padEnd(5)} ${component}${message}${fields.length ? `  ${fields.join(' ')}` : ''}\n`;
  if (options.stacks && typeof err?.stack === 'string') line += `${err.stack.replace(/^/gm, '    ')}\n`;
  return line;
}
