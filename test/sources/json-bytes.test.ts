import { describe, expect, it } from 'vitest';
import { parseJsonBytes } from '../../src/sources/json-bytes.js';

const cases: [string, Buffer][] = [
  ['ASCII', Buffer.from('[{"title":"Attention Is All You Need","n":3,"x":null,"ok":true}]')],
  ['accents, emoji, CJK', Buffer.from(JSON.stringify([{ name: 'Zoë Ångström', title: 'Müller–Lyer 🧪 注意力', list: ['é', ['ß']] }]))],
  ['keys above ASCII, in order', Buffer.from('{"a":1,"é":{"ü":"ö"},"z":2}')],
  ['control escapes stay on the quick path', Buffer.from('["a\\u0001b é", "\\n\\t\\"\\\\"]')],
  ['escapes above ASCII beside raw UTF-8', Buffer.from('["\\u00e9 é", "\\u4e2d 中", "\\ud83e\\uddea"]')],
  ['invalid UTF-8', Buffer.concat([Buffer.from('["a'), Buffer.from([0xe9, 0xff, 0xc3]), Buffer.from('", "'), Buffer.from([0xf0, 0x9f]), Buffer.from('"]')])],
];

describe('parseJsonBytes', () => {
  it.each(cases)('equals JSON.parse of the UTF-8 text: %s', (_, bytes) => {
    expect(parseJsonBytes(bytes)).toStrictEqual(JSON.parse(bytes.toString('utf8')));
    expect(JSON.stringify(parseJsonBytes(bytes))).toBe(JSON.stringify(JSON.parse(bytes.toString('utf8'))));
  });

  it('skips a byte-order mark and refuses what JSON.parse refuses', () => {
    expect(parseJsonBytes(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('["é"]')]))).toEqual(['é']);
    expect(() => parseJsonBytes(Buffer.from('[{"a": "é"'))).toThrow(SyntaxError);
  });
});
