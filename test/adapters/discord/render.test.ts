import { describe, expect, it } from 'vitest';
import { DISCORD_LIMITS, embedLength, mainMessageIndex, renderReply, type DiscordMessage } from '../../../src/adapters/discord/render.js';
import { fitMarkdown, markdownSafe } from '../../../src/adapters/discord/discord-text.js';
import { cutText, splitText } from '../../../src/core/reply-limits.js';
import { card, list, text, type Card, type Reply } from '../../../src/core/reply.js';

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const isWellFormed = (s: string) => !LONE_SURROGATE.test(s);

const ABSTRACT_10K = Array.from({ length: 1500 }, (_, i) => `word${i}`).join(' ').slice(0, 10_000);

/** Every limit Discord enforces on a message, checked on a rendered payload. */
function expectWithinLimits(m: DiscordMessage): void {
  expect(m.allowed_mentions).toEqual({ parse: [] });
  expect(m.content !== undefined || (m.embeds?.length ?? 0) > 0).toBe(true);
  if (m.content !== undefined) expect(m.content.length).toBeLessThanOrEqual(DISCORD_LIMITS.content);
  const embeds = m.embeds ?? [];
  expect(embeds.length).toBeLessThanOrEqual(DISCORD_LIMITS.embedsPerMessage);
  expect(embeds.reduce((sum, e) => sum + embedLength(e), 0)).toBeLessThanOrEqual(DISCORD_LIMITS.embedTotal);
  for (const e of embeds) {
    expect(e.title?.length ?? 0).toBeLessThanOrEqual(DISCORD_LIMITS.title);
    expect(e.description?.length ?? 0).toBeLessThanOrEqual(DISCORD_LIMITS.description);
    expect(e.fields?.length ?? 0).toBeLessThanOrEqual(DISCORD_LIMITS.fields);
    for (const f of e.fields ?? []) {
      expect(f.name.length).toBeGreaterThan(0);
      expect(f.name.length).toBeLessThanOrEqual(DISCORD_LIMITS.fieldName);
      expect(f.value.length).toBeGreaterThan(0);
      expect(f.value.length).toBeLessThanOrEqual(DISCORD_LIMITS.fieldValue);
    }
    expect(e.footer?.text.length ?? 0).toBeLessThanOrEqual(DISCORD_LIMITS.footer);
    expect(e.author?.name.length ?? 0).toBeLessThanOrEqual(DISCORD_LIMITS.authorName);
  }
}

/** No string anywhere in the payload can ping or carries a lone surrogate. */
function expectNoPing(messages: DiscordMessage[]): void {
  const all = JSON.stringify(messages);
  expect(all).not.toMatch(/@(everyone|here)/i);
  expect(all).not.toMatch(/<@/);
  for (const m of messages) {
    const strings = [m.content ?? '', ...(m.embeds ?? []).flatMap((e) => [e.title, e.description, e.footer?.text, e.author?.name, ...(e.fields ?? []).flatMap((f) => [f.name, f.value])])];
    for (const s of strings) if (s) expect(isWellFormed(s)).toBe(true);
  }
}

const paperCard: Card = {
  title: 'Gemma: Open Models Based on Gemini Research and Technology',
  url: 'https://arxiv.org/abs/2403.08295',
  authors: 'Gemma Team, Thomas Mesnard, Cassidy Hardin +104',
  body: 'This work introduces Gemma, a family of lightweight, state-of-the art open models.',
  fields: [{ name: 'Published', value: '2024-03-13', inline: true }],
  links: [{ label: 'PDF', url: 'https://arxiv.org/pdf/2403.08295v1' }, { label: 'Hugging Face', url: 'https://huggingface.co/papers/2403.08295' }],
  image: 'https://cdn-thumbnails.huggingface.co/social-thumbnails/papers/2403.08295.png',
  footer: 'arXiv:2403.08295v1 · ▲ 12',
};

describe('renderReply', () => {
  it('renders a card as one embed with title link, author, thumbnail, fields and footer', () => {
    const [m, ...rest] = renderReply(card(paperCard));
    expect(rest).toHaveLength(0);
    expect(m?.content).toBeUndefined();
    const embed = m?.embeds?.[0];
    expect(embed).toMatchObject({
      title: 'Gemma: Open Models Based on Gemini Research and Technology',
      url: 'https://arxiv.org/abs/2403.08295',
      author: { name: 'Gemma Team, Thomas Mesnard, Cassidy Hardin +104' },
      thumbnail: { url: paperCard.image },
      footer: { text: 'arXiv:2403.08295v1 · ▲ 12' },
    });
    expect(embed?.fields?.[0]).toEqual({ name: 'Published', value: '2024-03-13', inline: true });
    expect(embed?.fields?.at(-1)).toEqual({
      name: 'Links',
      value: '[PDF](https://arxiv.org/pdf/2403.08295v1) · [Hugging Face](https://huggingface.co/papers/2403.08295)',
    });
  });

  const cases: { name: string; reply: Reply; check?: (messages: DiscordMessage[]) => void }[] = [
    { name: 'short text', reply: text('hello'), check: (ms) => expect(ms).toEqual([{ content: 'hello', allowed_mentions: { parse: [] } }]) },
    { name: 'empty text', reply: text(''), check: (ms) => expect(ms).toHaveLength(1) },
    {
      name: 'a title with @everyone and a body with <@123> and <@&456>',
      reply: card({ ...paperCard, title: '@everyone look: @here', body: 'ping <@123> <@!123> <@&456>', authors: '@everyone', footer: '<@1>' }),
      check: (ms) => expect(ms[0]?.embeds?.[0]?.title).toBe('@\u200beveryone look: @\u200bhere'),
    },
    {
      name: 'a 10,000-character abstract',
      reply: card({ ...paperCard, body: ABSTRACT_10K }),
      check: (ms) => {
        const d = ms[0]?.embeds?.[0]?.description ?? '';
        expect(d.length).toBeGreaterThan(3500);
        expect(d).toMatch(/… \(read the rest: https:\/\/arxiv\.org\/abs\/[^)]+\)$/);
      },
    },
    {
      name: 'every field at its limit and too many fields',
      reply: card({
        ...paperCard,
        title: 'T'.repeat(1000),
        body: 'B'.repeat(5000),
        authors: 'A'.repeat(1000),
        footer: 'F'.repeat(3000),
        fields: Array.from({ length: 40 }, (_, i) => ({ name: `N${i}`.repeat(200), value: 'V'.repeat(2000) })),
      }),
      check: (ms) => expect(ms[0]?.embeds?.[0]?.fields?.length).toBeGreaterThan(0),
    },
    {
      name: 'emoji at every cut point',
      reply: card({ ...paperCard, title: '🧪'.repeat(300), body: '🔬'.repeat(3000), footer: '👍'.repeat(1500) }),
    },
    {
      name: 'a 5,000-character text split into messages',
      reply: text(Array.from({ length: 100 }, (_, i) => `Line ${i}: ${'x'.repeat(40)}`).join('\n')),
      check: (ms) => {
        expect(ms.length).toBe(3);
        for (const m of ms) expect(m.content?.startsWith('Line')).toBe(true);
      },
    },
    {
      name: 'a text with no spaces at all',
      reply: text('y'.repeat(4500)),
      check: (ms) => expect(ms.map((m) => m.content?.length)).toEqual([2000, 2000, 500]),
    },
    {
      name: 'markdown and masked links from outside shown as typed',
      reply: card({ ...paperCard, title: '**bold** [click](https://evil.example)', body: '# heading\n> quote\n||spoiler||\n1. one\n- two\n<t:0:R> a_b https://x.org/a_b' }),
      check: (ms) => {
        const e = ms[0]?.embeds?.[0];
        expect(e?.title).toBe('\\*\\*bold\\*\\* \\[click\\](https://evil.example)');
        expect(e?.description).toBe('\\# heading\n\\> quote\n\\|\\|spoiler\\|\\|\n1\\. one\n\\- two\n\\<t:0:R> a\\_b https://x.org/a_b');
      },
    },
    {
      name: 'unusable urls left out',
      reply: card({ ...paperCard, url: 'javascript:alert(1)', image: 'not a url', links: [{ label: 'x', url: 'ftp://a' }, { label: 'Code ]', url: 'https://github.com/a/b_(c)' }] }),
      check: (ms) => {
        const e = ms[0]?.embeds?.[0];
        expect(e?.url).toBeUndefined();
        expect(e?.thumbnail).toBeUndefined();
        expect(e?.fields?.at(-1)?.value).toBe('[Code \\]](https://github.com/a/b_%28c%29)');
      },
    },
    {
      name: 'a card with a long note puts the embed on the last message',
      reply: card(paperCard, { text: 'n'.repeat(2500) }),
      check: (ms) => {
        expect(ms).toHaveLength(2);
        expect(ms[1]?.embeds).toHaveLength(1);
        expect(mainMessageIndex(ms)).toBe(1);
      },
    },
    {
      name: 'a list of 5',
      reply: list('Search: diffusion', Array.from({ length: 5 }, (_, i) => ({ title: `Paper ${i}`, url: `https://arxiv.org/abs/2403.0000${i}`, detail: `2403.0000${i} · 2024`, text: 'snippet' })), { footer: 'more with /search' }),
      check: (ms) => {
        expect(ms).toHaveLength(1);
        expect(ms[0]?.embeds).toHaveLength(1);
        expect(ms[0]?.embeds?.[0]?.title).toBe('Search: diffusion');
        expect(ms[0]?.embeds?.[0]?.description).toContain('**1. [Paper 0](https://arxiv.org/abs/2403.00000)**');
        expect(ms[0]?.embeds?.[0]?.footer?.text).toBe('more with /search');
      },
    },
    {
      name: 'a list of 200 long items spread over messages',
      reply: list('Top', Array.from({ length: 200 }, (_, i) => ({ title: `@here ${'t'.repeat(300)} ${i}`, url: 'https://arxiv.org/abs/1', detail: 'd'.repeat(300), text: 'x '.repeat(1000) }))),
      check: (ms) => expect(ms.length).toBeGreaterThan(1),
    },
    { name: 'an empty list', reply: list('Top', [], { empty: 'No votes yet.' }), check: (ms) => expect(ms[0]?.content).toBe('No votes yet.') },
    { name: 'control characters and bidi overrides', reply: text('a\u0000b\u001b[31mc\u202ed') , check: (ms) => expect(ms[0]?.content).toBe('ab\\[31mcd') },
  ];

  for (const { name, reply, check } of cases) {
    it(`keeps ${name} within limits and without pings`, () => {
      const messages = renderReply(reply);
      expect(messages.length).toBeGreaterThan(0);
      for (const m of messages) expectWithinLimits(m);
      expectNoPing(messages);
      check?.(messages);
    });
  }
});

describe('long bodies are cut with a link to the rest', () => {
  it.each([10_000, 100_000, 5_800_000])('a %i-character abstract fits one embed and ends with the link', (length) => {
    const abstract = 'Findings hold in detail. '.repeat(Math.ceil(length / 25)).slice(0, length);
    const messages = renderReply(card({ title: 'A long paper', url: 'https://arxiv.org/abs/2403.08295', body: abstract, fields: [{ name: 'Votes', value: '▲ 3' }] }));
    expect(messages).toHaveLength(1);
    for (const m of messages) expectWithinLimits(m);
    const description = messages[0]!.embeds![0]!.description!;
    expect(description.length).toBeLessThanOrEqual(DISCORD_LIMITS.description);
    expect(description).toMatch(/\w… \(read the rest: https:\/\/arxiv\.org\/abs\/2403\.08295\)$/);
  });

  it('a long text reply is at most three messages, the last ending with "…"', () => {
    const messages = renderReply(text('word '.repeat(5000)));
    expect(messages).toHaveLength(3);
    for (const m of messages) expectWithinLimits(m);
    expect(messages[2]!.content).toMatch(/…$/);
  });

  it('a list item cut says where the rest is', () => {
    const [m] = renderReply(list('Search', [{ title: 'P', url: 'https://arxiv.org/abs/2403.08295', text: 'snippet '.repeat(200) }]));
    expect(m!.embeds![0]!.description).toContain('… (read the rest: https://arxiv.org/abs/2403.08295)');
  });
});

describe('text helpers', () => {
  it('splits on line breaks, then words, never inside a surrogate pair', () => {
    expect(splitText('aaaaaa\nbbb cccc', 10)).toEqual(['aaaaaa', 'bbb cccc']);
    expect(splitText('aaaaaa bbbbbb', 10)).toEqual(['aaaaaa', 'bbbbbb']);
    const pieces = splitText('😀'.repeat(15), 9);
    for (const p of pieces) expect(isWellFormed(p)).toBe(true);
    expect(pieces.join('')).toBe('😀'.repeat(15));
  });

  it('truncates with an ellipsis and never leaves a dangling escape', () => {
    expect(cutText('abcdef', 4)).toBe('abc…');
    expect(fitMarkdown('ab*cd', 4)).toBe('ab…');
    expect(fitMarkdown('a*b*c*d*e', 7)).toBe('a\\*b\\*…');
    expect(cutText('short', 10)).toBe('short');
    expect(markdownSafe('*')).toBe('\\*');
  });
});
