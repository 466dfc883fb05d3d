import { describe, expect, it } from 'vitest';
import { parseArguments } from '../../src/commands/arguments.js';
import { findCommand } from '../../src/commands/index.js';
import { parseArxivId } from '../../src/core/papers/arxiv-id.js';

const args = (name: string, text: string) => parseArguments(findCommand(name)!, { text }) as Record<string, string | undefined>;

describe('command text with Slack links', () => {
  it('keeps a labelled link as one argument, so /paper reads its id', () => {
    const parsed = args('paper', '<https://arxiv.org/abs/1605.08386|Heat-bath paper>');
    expect(parsed).toEqual({ id: '<https://arxiv.org/abs/1605.08386|Heat-bath paper>' });
    expect(parseArxivId(parsed.id ?? '')).toEqual({ id: '1605.08386' });
  });

  it('reads the options after a labelled link', () => {
    expect(args('paper', '<https://arxiv.org/abs/1605.08386|Heat-bath paper> ko bullets')).toMatchObject({ id: '<https://arxiv.org/abs/1605.08386|Heat-bath paper>', language: 'ko', style: 'bullets' });
    const translate = args('translate', '<https://huggingface.co/papers/2403.08295|Gemma, on HF> Brazilian Portuguese');
    expect(parseArxivId(translate.id ?? '')).toEqual({ id: '2403.08295' });
    expect(translate.language).toBe('Brazilian Portuguese');
  });

  it('takes a bare Slack link and trailing punctuation as one word', () => {
    const parsed = args('translate', '<https://arxiv.org/abs/2403.08295>. ko');
    expect(parsed).toEqual({ id: '<https://arxiv.org/abs/2403.08295>.', language: 'ko' });
    expect(parseArxivId(parsed.id ?? '')).toEqual({ id: '2403.08295' });
  });

  it('splits plain words as before', () => {
    expect(args('translate', '2403.08295 ko')).toEqual({ id: '2403.08295', language: 'ko' });
    expect(args('translate', '"2403.08295" ko')).toEqual({ id: '2403.08295', language: 'ko' });
    expect(args('translate', '<oops ko')).toEqual({ id: '<oops', language: 'ko' });
  });
});
