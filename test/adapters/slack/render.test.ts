import { describe, expect, it } from 'vitest';
import { escapeMrkdwn, mrkdwnLink } from '../../../src/adapters/slack/mrkdwn.js';
import { cutText, splitText } from '../../../src/core/reply-limits.js';
import { blockChars, renderSlackMessage, SLACK_LIMITS, type SlackBlock, type SlackMessage } from '../../../src/adapters/slack/render.js';
import { card, list, text, type Reply } from '../../../src/core/reply.js';
import { blockProblem } from '../../fakes/slack/web-api.js';

/** Every mrkdwn string in a message: what Slack parses for mentions and links. */
function mrkdwnTexts(message: SlackMessage): string[] {
  const out = [message.text];
  for (const block of message.blocks) {
    if (block.type === 'section') {
      if ('text' in block) out.push(block.text.text);
      out.push(...(block.fields ?? []).map((f) => f.text));
    }
    if (block.type === 'context') out.push(...block.elements.map((e) => e.text));
  }
  return out;
}

/** The words of a message's blocks, entities decoded, for "nothing was dropped" checks. */
function visibleWords(messages: SlackMessage[]): string {
  const texts = messages.flatMap((m) => m.blocks).flatMap((b: SlackBlock) => {
    if (b.type === 'header') return [b.text.text];
    if (b.type === 'section') return ['text' in b ? b.text.text : '', ...(b.fields ?? []).map((f) => f.text)];
    if (b.type === 'context') return b.elements.map((e) => e.text);
    return [];
  });
  return texts.join(' ').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&').replace(/\s+/g, ' ');
}

function expectWithinLimits(messages: SlackMessage[]): void {
  for (const message of messages) {
    expect(blockProblem(message.blocks)).toBeUndefined();
    expect(message.blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.blocksPerMessage);
    expect(message.blocks.reduce((n, b) => n + blockChars(b), 0)).toBeLessThanOrEqual(SLACK_LIMITS.blockCharsPerMessage);
    expect(message.text.length).toBeLessThanOrEqual(SLACK_LIMITS.fallbackText);
    for (const block of message.blocks) {
      if (block.type === 'section' && 'text' in block) expect(block.text.text.length).toBeLessThanOrEqual(SLACK_LIMITS.sectionText);
      if (block.type === 'header') expect(block.text.text.length).toBeLessThanOrEqual(SLACK_LIMITS.headerText);
    }
  }
}

const HOSTILE = [
  '<!channel> read this',
  '<!here|here> and <!everyone>',
  'ping <@U123> and <@U123|bob>',
  'a <#C123|general> link',
  '<https://evil.example|totally arXiv>',
  'Fish & Chips <b>bold</b> &amp; &lt;kept&gt;',
  '<<!channel>>',
  '&<!channel>',
];

describe('escapeMrkdwn', () => {
  it.each(HOSTILE)('leaves no control sequence in %j', (input) => {
    const out = escapeMrkdwn(input);
    expect(out).not.toMatch(/[<>]/);
    expect(out.replace(/&(amp|lt|gt);/g, '')).not.toContain('&');
    expect(out.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&')).toBe(input);
  });

  it('drops control and bidi characters', () => {
    expect(escapeMrkdwn('a\u0007b\u202ec')).toBe('abc');
  });
});

describe('mrkdwnLink', () => {
  it.each([
    ['https://arxiv.org/abs/2403.08295', 'PDF', '<https://arxiv.org/abs/2403.08295|PDF>'],
    ['https://x.example/a?b=1&c=2', 'q', '<https://x.example/a?b=1&amp;c=2|q>'],
    ['https://x.example/a|<!channel>', 'x', '<https://x.example/a%7C%3C!channel%3E|x>'],
    ['javascript:alert(1)', 'click', 'click'],
    ['not a url', '<!channel>', '&lt;!channel&gt;'],
    ['https://x.example/', 'two\nlines <@U1>', '<https://x.example/|two lines &lt;@U1&gt;>'],
  ])('%s with label %j', (url, label, expected) => {
    expect(mrkdwnLink(url, label)).toBe(expected);
  });
});

describe('the shared cut, measured in mrkdwn', () => {
  it('hard-cuts unbroken text without splitting an emoji or an entity', () => {
    const emoji = '😀'.repeat(2000);
    for (const piece of splitText(emoji, 3001, { render: escapeMrkdwn })) expect(piece).toMatch(/^(\ud83d\ude00)+$/);
    for (const piece of splitText('<'.repeat(1000), 2999, { render: escapeMrkdwn })) expect(piece).toMatch(/^(&lt;)+$/);
    expect(cutText('<'.repeat(1000), 2999, { render: escapeMrkdwn })).toMatch(/^(&lt;)+…$/);
  });

  it('shortens with an ellipsis at a word boundary', () => {
    expect(cutText('short', 10)).toBe('short');
    expect(cutText('one two three four five six seven', 20)).toBe('one two three four…');
  });
});

const longAbstract = Array.from({ length: 160 }, (_, i) => `Sentence ${i} explains a finding in detail.`).join(' ').padEnd(10_000, ' x');

const cases: [string, Reply][] = [
  ['a text reply', text('Hello & welcome')],
  ['a card with a 10,000-character abstract', card({ title: 'A long paper', url: 'https://arxiv.org/abs/2403.08295', body: longAbstract, authors: 'A, B, C +3' })],
  ['a card with a 400-character title', card({ title: `${'Very long title '.repeat(25)}end`, body: 'short' })],
  ['a list of 60 items', list('Top papers', Array.from({ length: 60 }, (_, i) => ({ title: `Paper ${i}`, url: `https://arxiv.org/abs/2403.${10000 + i}`, detail: `▲ ${i}`, text: 'x'.repeat(400) })))],
  ['unicode everywhere', card({ title: '大規模言語モデル 🤖 für Übersetzung', body: 'العربية 中文 한국어 😀'.repeat(300), footer: 'arXiv:2403.08295 · ▲ 5' })],
  ['an empty list', list('Search: nothing', [], { empty: 'No papers match <!here>.' })],
];

describe('renderSlackMessage', () => {
  it.each(cases)('%s stays within Slack limits', (_name, reply) => {
    const messages = [renderSlackMessage(reply)];
    expectWithinLimits(messages);
  });

  it.each([10_000, 100_000, 5_800_000])('a %i-character abstract is one message, cut with a link to the rest', (length) => {
    const abstract = 'Sentence explains a finding in detail. '.repeat(Math.ceil(length / 39)).slice(0, length);
    const messages = [renderSlackMessage(card({ title: 'A long paper', url: 'https://arxiv.org/abs/2403.08295', body: abstract, authors: 'A, B, C +3', links: [{ label: 'PDF', url: 'https://arxiv.org/pdf/2403.08295' }] }))];
    expectWithinLimits(messages);
    const body = messages[0]!.blocks.find((b) => b.type === 'section' && 'text' in b && b.text.text.startsWith('Sentence'));
    expect(body && 'text' in body ? body.text.text : '').toMatch(/\w… \(read the rest: <https:\/\/arxiv\.org\/abs\/2403\.08295>\)$/);
    expect(visibleWords(messages)).toContain('<https://arxiv.org/pdf/2403.08295|PDF>');
  });

  it('a long text reply stays one message of at most three sections', () => {
    const messages = [renderSlackMessage(text('word & more '.repeat(5000)))];
    expectWithinLimits(messages);
    expect(messages[0]!.blocks.length).toBeLessThanOrEqual(3);
    const last = messages[0]!.blocks.at(-1)!;
    expect('text' in last ? last.text.text : '').toMatch(/…$/);
  });

  it('puts the whole of a long title in the message when the header must be short', () => {
    const title = `${'Very long title '.repeat(25)}end`;
    const message = renderSlackMessage(card({ title }));
    const header = message.blocks[0];
    expect(header?.type).toBe('header');
    expect(visibleWords([message])).toContain(title.trim());
  });

  it('shows the items of a list past 50 blocks that fit, in order, and says more are not shown', () => {
    const messages = [renderSlackMessage(cases[3]![1])];
    const words = visibleWords(messages);
    let at = -1;
    for (let i = 0; i < 20; i++) {
      const next = words.indexOf(`*${i + 1}.* *<https://arxiv.org/abs/2403.${10000 + i}|Paper ${i}>*`);
      expect(next).toBeGreaterThan(at);
      at = next;
    }
    expect(messages[0]!.blocks.at(-1)).toMatchObject({ type: 'context' });
    expect(words).toContain('more not shown');
  });

  it.each(HOSTILE)('makes %j inert in every field of a card and a list', (hostile) => {
    const replies: Reply[] = [
      card({ title: hostile, url: 'https://arxiv.org/abs/1', authors: hostile, body: hostile, fields: [{ name: hostile, value: hostile }], links: [{ label: hostile, url: 'https://x.example/' }], footer: hostile }, { text: hostile }),
      list(hostile, [{ title: hostile, url: 'https://x.example/', detail: hostile, text: hostile }], { footer: hostile }),
      text(hostile),
    ];
    for (const reply of replies) {
      for (const message of [renderSlackMessage(reply)]) {
        for (const mrkdwn of mrkdwnTexts(message)) {
          expect(mrkdwn).not.toMatch(/<[!@#]/);
          expect(mrkdwn).not.toContain('<https://evil');
        }
        for (const block of message.blocks) {
          if (block.type === 'section' && 'text' in block) expect(block.text.verbatim).toBe(true);
        }
      }
    }
  });

  it('gives an escaped plain-text fallback', () => {
    const message = renderSlackMessage(card({ title: '<!channel> & friends', body: 'Body <@U1>' }));
    expect(message.text).toContain('&lt;!channel&gt; &amp; friends');
    expect(message.text).toContain('Body &lt;@U1&gt;');
  });

  it('shows images only for http(s) URLs', () => {
    const withImage = renderSlackMessage(card({ title: 't', image: 'https://cdn.example/p.png' }));
    expect(withImage.blocks.some((b) => b.type === 'image')).toBe(true);
    const withBadImage = renderSlackMessage(card({ title: 't', image: 'javascript:alert(1)' }));
    expect(withBadImage.blocks.some((b) => b.type === 'image')).toBe(false);
  });
});
