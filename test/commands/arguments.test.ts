import { describe, expect, it } from 'vitest';
import { parseArguments } from '../../src/commands/arguments.js';
import { defineCommand } from '../../src/commands/command.js';
import { findCommand } from '../../src/commands/index.js';
import { text } from '../../src/core/reply.js';
import { BadInputError } from '../../src/errors.js';

const command = defineCommand({
  name: 'demo',
  description: 'demo',
  usage: '<id> [count] [style]',
  options: [
    { name: 'id', type: 'string', required: true, description: 'id' },
    { name: 'count', type: 'integer', description: 'count', min: 1, max: 50 },
    { name: 'style', type: 'string', description: 'style', choices: ['tldr', 'bullets'] },
  ],
  async execute() {
    return text('ok');
  },
});

describe("Discord's named options", () => {
  const read = (options: { name: string; value?: string | number | boolean }[]) => parseArguments(command, { options });

  it('become typed arguments: trimmed text, integers as numbers, choices checked', () => {
    expect(read([{ name: 'id', value: ' 2403.08295 ' }, { name: 'count', value: 5 }, { name: 'style', value: 'bullets' }])).toEqual({ id: '2403.08295', count: 5, style: 'bullets' });
    expect(read([{ name: 'id', value: 'x' }, { name: 'unknown', value: 'y' }])).toEqual({ id: 'x' });
  });

  it('refuses a missing required option, a value outside the choices, a fraction or an out-of-range integer', () => {
    expect(() => read([])).toThrow(new BadInputError('Missing id. Usage: /demo <id> [count] [style]'));
    expect(() => read([{ name: 'id', value: '   ' }])).toThrow(/Missing id/);
    expect(() => read([{ name: 'id', value: 'x' }, { name: 'style', value: 'poem' }])).toThrow('style must be one of tldr, bullets.');
    expect(() => read([{ name: 'id', value: 'x' }, { name: 'count', value: 1.5 }])).toThrow(/count must be a whole number/);
    expect(() => read([{ name: 'id', value: 'x' }, { name: 'count', value: 51 }])).toThrow('count must be between 1 and 50.');
  });

  it('cuts a huge value before anything reads it', () => {
    expect(read([{ name: 'id', value: 'a'.repeat(50_000) }]).id).toHaveLength(10_000);
  });
});

describe('one line of text (Slack, the terminal, the CLI)', () => {
  const read = (line: string) => parseArguments(command, { text: line });

  it('fills options in order, takes choices wherever they stand, and numbers as numbers', () => {
    expect(read('2403.08295 7 bullets')).toEqual({ id: '2403.08295', count: 7, style: 'bullets' });
    expect(read('bullets 2403.08295 7')).toEqual({ id: '2403.08295', count: 7, style: 'bullets' });
    expect(read('"quoted id" 3')).toEqual({ id: 'quoted id', count: 3 });
    expect(read('  2403.08295  ')).toEqual({ id: '2403.08295' });
  });

  it('refuses what is not a whole number, and words left over', () => {
    for (const bad of ['0x10', '1e4', '+5', '5.0', '-1']) expect(() => read(`x ${bad}`)).toThrow(/count must be a whole number|between/);
    expect(() => parseArguments(findCommand('top')!, { text: 'week global extra' })).toThrow(/Too many words: "extra"/);
  });

  it('gives the last free option the rest of the line as typed', () => {
    const subscribe = findCommand('subscribe')!;
    expect(parseArguments(subscribe, { text: 'include=agents,"diffusion models"  size=5' })).toEqual({ settings: 'include=agents,"diffusion models"  size=5' });
    const top = findCommand('top')!;
    expect(parseArguments(top, { text: 'global month' })).toEqual({ period: 'month', scope: 'global' });
    expect(parseArguments(top, { text: 'WEEK' })).toEqual({ period: 'week' });
    expect(() => parseArguments(top, { text: 'fortnight' })).toThrow('period must be one of day, week, month, all.');
  });
});
