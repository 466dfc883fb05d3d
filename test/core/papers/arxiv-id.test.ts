import { describe, it, expect } from 'vitest';
import { BadInputError } from '../../../src/errors.js';
import {
  ARXIV_ID_EXAMPLE,
  formatArxivId,
  parseArxivId,
  tryParseArxivId,
  type ArxivRef,
} from '../../../src/core/papers/arxiv-id.js';

const accepted: Array<[string, ArxivRef]> = [
  // bare new-style ids
  ['2403.08295', { id: '2403.08295' }],
  ['2403.08295v2', { id: '2403.08295', version: 2 }],
  ['2403.08295v12', { id: '2403.08295', version: 12 }],
  ['1501.00001', { id: '1501.00001' }],
  ['1412.7753', { id: '1412.7753' }],
  ['0704.0001', { id: '0704.0001' }],
  ['0704.0001v1', { id: '0704.0001', version: 1 }],
  // bare old-style ids
  ['hep-th/9901001', { id: 'hep-th/9901001' }],
  ['math.GT/0309136', { id: 'math.GT/0309136' }],
  ['cond-mat/0102536v1', { id: 'cond-mat/0102536', version: 1 }],
  ['astro-ph/0601001', { id: 'astro-ph/0601001' }],
  ['q-bio/0703001v3', { id: 'q-bio/0703001', version: 3 }],
  // arXiv: prefix
  ['arXiv:2403.08295', { id: '2403.08295' }],
  ['arxiv:2403.08295v1', { id: '2403.08295', version: 1 }],
  ['ARXIV: 2403.08295', { id: '2403.08295' }],
  ['arXiv:hep-th/9901001', { id: 'hep-th/9901001' }],
  // arxiv.org URLs
  ['https://arxiv.org/abs/2403.08295', { id: '2403.08295' }],
  ['http://arxiv.org/abs/2403.08295v3', { id: '2403.08295', version: 3 }],
  ['arxiv.org/abs/2403.08295', { id: '2403.08295' }],
  ['https://www.arxiv.org/abs/2403.08295', { id: '2403.08295' }],
  ['https://export.arxiv.org/abs/2403.08295', { id: '2403.08295' }],
  ['https://arxiv.org/abs/hep-th/9901001', { id: 'hep-th/9901001' }],
  ['https://arxiv.org/abs/math.GT/0309136v2', { id: 'math.GT/0309136', version: 2 }],
  ['https://arxiv.org/pdf/2403.08295', { id: '2403.08295' }],
  ['https://arxiv.org/pdf/2403.08295v2.pdf', { id: '2403.08295', version: 2 }],
  ['https://arxiv.org/pdf/hep-th/9901001v1.pdf', { id: 'hep-th/9901001', version: 1 }],
  ['https://arxiv.org/html/2403.08295v1', { id: '2403.08295', version: 1 }],
  ['https://arxiv.org/html/2403.08295v1/#S2', { id: '2403.08295', version: 1 }],
  ['https://arxiv.org/html/2403.08295v1/index.html', { id: '2403.08295', version: 1 }],
  ['https://arxiv.org/format/2403.08295', { id: '2403.08295' }],
  ['HTTPS://ArXiv.org/abs/2403.08295', { id: '2403.08295' }],
  // tolerated decorations
  ['https://arxiv.org/abs/2403.08295/', { id: '2403.08295' }],
  ['https://arxiv.org/abs/2403.08295?context=cs.CL', { id: '2403.08295' }],
  ['https://arxiv.org/abs/2403.08295v2#S2', { id: '2403.08295', version: 2 }],
  ['https://arxiv.org/abs/2403.08295.', { id: '2403.08295' }],
  ['https://arxiv.org/abs/2403.08295,', { id: '2403.08295' }],
  ['(https://arxiv.org/abs/2403.08295)', { id: '2403.08295' }],
  ['https://arxiv.org/pdf/2403.08295.pdf).', { id: '2403.08295' }],
  // other sites
  ['https://alphaxiv.org/abs/2403.08295', { id: '2403.08295' }],
  ['https://www.alphaxiv.org/overview/2403.08295v2', { id: '2403.08295', version: 2 }],
  ['alphaxiv.org/pdf/2403.08295', { id: '2403.08295' }],
  ['https://huggingface.co/papers/2403.08295', { id: '2403.08295' }],
  ['huggingface.co/papers/2403.08295#community', { id: '2403.08295' }],
  ['https://hf.co/papers/2403.08295', { id: '2403.08295' }],
  // Slack wrappings and whitespace
  ['<https://arxiv.org/abs/2403.08295>', { id: '2403.08295' }],
  ['<https://arxiv.org/abs/2403.08295|arxiv.org/abs/2403.08295>', { id: '2403.08295' }],
  ['<https://huggingface.co/papers/2403.08295>.', { id: '2403.08295' }],
  ['<https://arxiv.org/abs/1605.08386|Heat-bath paper>', { id: '1605.08386' }],
  ['<https://arxiv.org/abs/1605.08386v2|Heat-bath: a paper (with &gt; and | in it)>', { id: '1605.08386', version: 2 }],
  ['<https://huggingface.co/papers/2403.08295|Gemma on HF>', { id: '2403.08295' }],
  ['<https://arxiv.org/abs/2403.08295?context=cs&amp;x=1|Gemma>', { id: '2403.08295' }],
  ['  2403.08295\n', { id: '2403.08295' }],
  ['\u00A02403.08295\u00A0', { id: '2403.08295' }],
  ['\u200B2403.08295\u200B', { id: '2403.08295' }],
  ['\uFEFFhttps://arxiv.org/abs/2403.08295\u200D', { id: '2403.08295' }],
  ['arXiv:\u00A02403.08295', { id: '2403.08295' }],
];

const refused: string[] = [
  '',
  '   ',
  '\u200B',
  '2403.8295',
  '2413.08295',
  '2400.08295',
  '1412.12345',
  '1501.1234',
  '0612.1234',
  '2403.08295v0',
  '2403.08295v',
  '2403.08295V2',
  '2403.082951',
  'https://example.com/abs/2403.08295',
  'https://arxiv.org.evil.com/abs/2403.08295',
  'https://arxiv.org/list/cs.CL/recent',
  'https://arxiv.org/abs/2403.08295/extra',
  'hep-th/990100',
  'hep-th/9913001',
  'HEP-TH/9901001',
  'hep-th-th/9901001',
  'math.gt/0309136',
  'doi:10.1234/x',
  'DROP TABLE papers;',
  'a'.repeat(10_000),
  '📄📄📄',
  'javascript:alert(1)',
  'arxiv.org/abs/',
  'https://huggingface.co/datasets/foo',
  'https://huggingface.co/2403.08295',
  '2403.08295 2403.08296',
  '<@U123>',
  '<https://example.com/x|arxiv.org/abs/2403.08295>',
  'arXiv:',
  'ftp://arxiv.org/abs/2403.08295',
];

describe('parseArxivId', () => {
  it.each(accepted)('accepts %j', (input, expected) => {
    expect(parseArxivId(input)).toEqual(expected);
  });

  it.each(refused.map((input) => [input.length > 40 ? `${input.slice(0, 40)}…` : input, input]))(
    'refuses %j',
    (_label, input) => {
      let caught: unknown;
      try {
        parseArxivId(input);
      } catch (err) {
        caught = err;
      }
      expect(caught).toBeInstanceOf(BadInputError);
      expect((caught as BadInputError).message).toContain(ARXIV_ID_EXAMPLE);
    },
  );

  it('quotes the input in the refusal', () => {
    expect(() => parseArxivId('foo')).toThrow(
      'Not an arXiv id or paper URL: "foo". Try 2403.08295 or https://arxiv.org/abs/2403.08295',
    );
  });

  it('truncates a long quote to about 60 characters', () => {
    try {
      parseArxivId('x'.repeat(500));
      expect.unreachable();
    } catch (err) {
      const message = (err as Error).message;
      expect(message).toContain(`"${'x'.repeat(60)}…"`);
      expect(message.length).toBeLessThan(160);
    }
  });

  it('refuses non-string input with BadInputError', () => {
    expect(() => parseArxivId(undefined as unknown as string)).toThrow(BadInputError);
  });

  it('returns quickly on a 10,000-character input', () => {
    const inputs = [
      'a'.repeat(10_000),
      `https://arxiv.org/abs/${'/'.repeat(10_000)}x`,
      `hep${'-th'.repeat(3_000)}/9901001`,
      `<${'<'.repeat(10_000)}`,
      `${'.'.repeat(5_000)}2403.08295${')'.repeat(5_000)}`,
      // Just under the length cap, so the patterns themselves run.
      `https://arxiv.org/abs/${'/'.repeat(2_000)}x`,
      `${'('.repeat(1_000)}x${')'.repeat(1_000)}`,
      `a-${'b-'.repeat(1_000)}/9901001`,
    ];
    const start = performance.now();
    for (const input of inputs) expect(tryParseArxivId(input)).toBeUndefined();
    expect(performance.now() - start).toBeLessThan(50);
  });
});

describe('tryParseArxivId', () => {
  it('returns the ref on accepted input', () => {
    expect(tryParseArxivId('arXiv:2403.08295v2')).toEqual({ id: '2403.08295', version: 2 });
  });

  it.each(refused.map((input) => [input.slice(0, 40), input]))('returns undefined for %j', (_label, input) => {
    expect(tryParseArxivId(input)).toBeUndefined();
  });
});

describe('formatArxivId', () => {
  it.each(['2403.08295', '2403.08295v2', '1412.7753v1', 'hep-th/9901001', 'math.GT/0309136v2'])(
    'round-trips %s',
    (id) => {
      expect(formatArxivId(parseArxivId(id))).toBe(id);
    },
  );

  it('formats a ref with and without version', () => {
    expect(formatArxivId({ id: '2403.08295' })).toBe('2403.08295');
    expect(formatArxivId({ id: '2403.08295', version: 3 })).toBe('2403.08295v3');
  });

  it.each(accepted)('normalises %j so that it parses back to the same ref', (input, expected) => {
    expect(parseArxivId(formatArxivId(parseArxivId(input)))).toEqual(expected);
  });
});
