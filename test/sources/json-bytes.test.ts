import { describe, expect, it, vi } from 'vitest';
import { parseJsonBytes } from '../../src/sources/json-bytes.js';

const cases: [string, Buffer][] = [
  ['ASCII', Buffer.from('[{"title":"Attention Is All You Need","n":3,"x":null,"ok":true}]')],
  ['accents, emoji, CJK', Buffer.from(JSON.stringify([{ name: 'Zoë Ångström', title: 'Müller–Lyer 🧪 注意力', list: ['é', ['ß']] }]))],
  ['keys above ASCII, in order', Buffer.from('{"a":1,"é":{"ü":"ö"},"z":2}')],
  ['control escapes stay on the quick path', Buffer.from('["a\\u0001b é", "\\n\\t\\"\\\\"]')],
  ['escapes above ASCII beside raw UTF-8', Buffer.from('["\\u00e9 é", "\\u4e2d 中", "\\ud83e\\uddea"]')],
  ['entries holding brackets, commas and quotes in strings', Buffer.from('[{"a":"x],[{\\"y","b":["c,d",{"e":"]"}]}, 3, "s\\\\", null, [[], {}], "\\"]"]')],
  ['an array with space around and inside', Buffer.from(' \n [ {"a" : 1} ,\t{"b":[ 2 , 3 ]} ] \r\n')],
  ['empty arrays', Buffer.from('[ ]')],
  ['an object at the top', Buffer.from('{"papers":[{"a":"é"}],"files":2}')],
  ['invalid UTF-8', Buffer.concat([Buffer.from('["a'), Buffer.from([0xe9, 0xff, 0xc3]), Buffer.from('", "'), Buffer.from([0xf0, 0x9f]), Buffer.from('"]')])],
];

describe('parseJsonBytes', () => {
  it.each(cases)('equals JSON.parse of the UTF-8 text: %s', (_, bytes) => {
    expect(parseJsonBytes(bytes)).toStrictEqual(JSON.parse(bytes.toString('utf8')));
    expect(JSON.stringify(parseJsonBytes(bytes))).toBe(JSON.stringify(JSON.parse(bytes.toString('utf8'))));
  });

  it('skips a byte-order mark and refuses what JSON.parse refuses, with its message', () => {
    expect(parseJsonBytes(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('["é"]')]))).toEqual(['é']);
    for (const text of ['[{"a": "é"', '[1,]', '[,1]', '[1 2]', '[{"a":1}] x', '[{"a":"unclosed]', '[{"a":1}]]', '[{"a":tru}]', '']) {
      let expected = '';
      try {
        // Positions count bytes: the text is parsed as Latin-1.
        JSON.parse(Buffer.from(text).toString('latin1'));
      } catch (err) {
        expected = (err as Error).message;
      }
      expect(expected).not.toBe('');
      expect(() => parseJsonBytes(Buffer.from(text)), text).toThrow(new SyntaxError(expected));
    }
  });

  it('equals JSON.parse for arrays of random entries, however they are spaced', () => {
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const pieces = ['a', 'é', ',', ']', '[', '{', '}', '"', '\\', ' ', '\n', '🧪', '\u0001'];
    const text = () => Array.from({ length: Math.floor(random() * 8) }, () => pieces[Math.floor(random() * pieces.length)]).join('');
    const value = (depth: number): unknown => {
      const kind = Math.floor(random() * (depth > 2 ? 4 : 6));
      if (kind === 0) return text();
      if (kind === 1) return Math.floor(random() * 1000) - 500;
      if (kind === 2) return random() < 0.5 ? null : random() < 0.5;
      if (kind === 3) return random() * 10;
      if (kind === 4) return Array.from({ length: Math.floor(random() * 4) }, () => value(depth + 1));
      return Object.fromEntries(Array.from({ length: Math.floor(random() * 4) }, () => [text(), value(depth + 1)]));
    };
    for (let n = 0; n < 300; n++) {
      const entries = Array.from({ length: Math.floor(random() * 6) }, () => value(0));
      for (const spacing of [undefined, 2, '\t']) {
        const bytes = Buffer.from(JSON.stringify(entries, null, spacing));
        expect(parseJsonBytes(bytes)).toStrictEqual(entries);
      }
    }
  });

  it('parses an array entry by entry, never as one string of the whole file', () => {
    const parse = vi.spyOn(JSON, 'parse');
    try {
      expect(parseJsonBytes(Buffer.from('[{"a":"x],[{\\"y"}, 3, "s\\\\", [[], {}]]'))).toEqual([{ a: 'x],[{"y' }, 3, 's\\', [[], {}]]);
      expect(parse.mock.calls.map(([text]) => text)).toEqual(['{"a":"x],[{\\"y"}', ' 3', ' "s\\\\"', ' [[], {}]']);
    } finally {
      parse.mockRestore();
    }
  });
});
