/**
 * The plain-text rendering of a reply: the terminal's output and the fallback text other platforms
 * attach for notifications and screen readers.
 * @module
 */
import type { Card, ListItem, Reply } from './reply.js';

export interface PlainTextOptions {
  /** Wrap prose at this many columns (the terminal); unset means no wrapping. */
  width?: number;
}

// Escape sequences and other control characters from outside text must not drive the terminal.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069]/g;

export function clean(text: string): string {
  return text.replace(/\r\n?/g, '\n').replace(CONTROL, '');
}

export function wrap(text: string, width: number | undefined): string {
  if (!width) return text;
  return text
    .split('\n')
    .map((line) => {
      const out: string[] = [];
      let current = '';
      for (const word of line.split(/ +/)) {
        if (current && current.length + 1 + word.length > width) {
          out.push(current);
          current = word;
        } else current = current ? `${current} ${word}` : word;
      }
      out.push(current);
      return out.join('\n');
    })
    .join('\n');
}

function cardText(card: Card, options: PlainTextOptions): string {
  const lines = [clean(card.title)];
  if (card.url) lines.push(card.url);
  if (card.authors) lines.push(clean(card.authors));
  if (card.body) lines.push('', wrap(clean(card.body), options.width));
  const fields = (card.fields ?? []).map((f) => `${clean(f.name)}: ${clean(f.value)}`);
  if (fields.length > 0) lines.push('', ...fields);
  if (card.links && card.links.length > 0) lines.push(card.links.map((l) => `${l.label}: ${l.url}`).join('\n'));
  if (card.footer) lines.push(clean(card.footer));
  return lines.join('\n');
}

function itemText(item: ListItem, index: number, options: PlainTextOptions): string {
  const lines = [`${index + 1}. ${clean(item.title)}`];
  if (item.detail) lines.push(`   ${clean(item.detail)}`);
  if (item.url) lines.push(`   ${item.url}`);
  if (item.text) lines.push(wrap(clean(item.text), options.width && options.width - 3).replace(/^/gm, '   '));
  return lines.join('\n');
}

export function plainText(reply: Reply, options: PlainTextOptions = {}): string {
  switch (reply.kind) {
    case 'text':
      return wrap(clean(reply.text), options.width);
    case 'card':
      return [reply.text ? clean(reply.text) : undefined, cardText(reply.card, options)].filter(Boolean).join('\n\n');
    case 'list': {
      if (reply.items.length === 0) return clean(reply.empty ?? `${reply.title}: nothing yet.`);
      const body = reply.items.map((item, i) => itemText(item, i, options)).join('\n\n');
      return [clean(reply.title), '', body, reply.footer ? `\n${clean(reply.footer)}` : ''].join('\n').trimEnd();
    }
  }
}
