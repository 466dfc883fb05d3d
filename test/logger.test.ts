import { describe, expect, it } from 'vitest';
import { createLogger, cronLogger } from '../src/logger.js';
import { UpstreamError } from '../src/errors.js';

function capture(level: string, format: 'auto' | 'pretty' | 'json', isTerminal: boolean) {
  const lines: string[] = [];
  const logger = createLogger(level, { format, isTerminal, write: (line) => void lines.push(line) });
  return { logger, lines };
}

const failure = new UpstreamError('arxiv', 'Could not reach arXiv; check the network', { cause: new Error('fetch failed') });

describe('logger', () => {
  it('writes one short line per event on a terminal: time, level, message, fields, no stack', () => {
    const { logger, lines } = capture('info', 'auto', true);
    logger.warn({ err: failure, source: 'arxiv', status: undefined }, 'upstream failed');
    logger.child({ component: 'slack' }).info({ mode: 'socket', team: 'Fake Team' }, 'connected');
    logger.debug('not shown at info');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^\d\d:\d\d:\d\d WARN {2}upstream failed: Could not reach arXiv; check the network: fetch failed {2}source=arxiv\n$/);
    expect(lines[1]).toMatch(/^\d\d:\d\d:\d\d INFO {2}slack: connected {2}mode=socket team="Fake Team"\n$/);
  });

  it('adds the stack at debug level only', () => {
    const { logger, lines } = capture('debug', 'pretty', false);
    logger.error({ err: failure }, 'command failed');
    expect(lines[0]!.split('\n')[0]).toMatch(/ERROR command failed: Could not reach arXiv/);
    expect(lines[0]).toContain('    UpstreamError: Could not reach arXiv');
    expect(lines[0]).toMatch(/\n\s+at /);
  });

  it('writes JSON lines when not on a terminal, as log collectors want', () => {
    const { logger, lines } = capture('info', 'auto', false);
    logger.info({ channel: 'C1' }, 'digest posted');
    expect(JSON.parse(lines[0]!)).toMatchObject({ level: 30, msg: 'digest posted', channel: 'C1' });
    const forced = capture('info', 'json', true);
    forced.logger.info('x');
    expect(JSON.parse(forced.lines[0]!)).toMatchObject({ msg: 'x' });
  });

  it("routes node-cron's messages into the same log", () => {
    const { logger, lines } = capture('info', 'pretty', true);
    const cron = cronLogger(logger);
    cron.warn('missed execution at Tue Dec 01 2026 09:00:00! Possible blocking IO');
    cron.error(new Error('boom'));
    expect(lines[0]).toMatch(/WARN {2}cron: missed execution at Tue Dec 01 2026 09:00:00! Possible blocking IO\n$/);
    expect(lines[1]).toMatch(/ERROR cron: task failed: boom\n$/);
  });
});
