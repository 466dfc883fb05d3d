/**
 * JSON.parse of a file's bytes, without decoding the whole file as UTF-8 first: V8 decodes UTF-8 with
 * any non-ASCII character in it (an accented author) several times slower than it parses. The bytes are
 * read as Latin-1 (one character per byte, quick), parsed, and only the strings holding bytes above
 * ASCII are decoded as UTF-8, each on its own. The result equals JSON.parse(bytes.toString('utf8')): a
 * multi-byte UTF-8 sequence never holds an ASCII byte, so the JSON structure is the same, and each
 * string's bytes decode alike, invalid ones to U+FFFD. Escapes that give a character above ASCII
 * (`\u00e9`) would be decoded twice: a file with any is decoded as UTF-8.
 * A top-level array (what Hugging Face sends) is parsed entry by entry: a string of a whole file (hundreds
 * of KB) is a large object to V8, allocated on fresh pages each time, and on this kind of VM the page
 * faults made decoding it 40 times slower than decoding its entries one by one. Anything else, or
 * anything the entries' parse refuses, is parsed whole, so errors read as JSON.parse's.
 * @module
 */

const ABOVE_ASCII = /[\x80-\xff]/;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;

/** JSON.parse of the UTF-8 `bytes` (a leading byte-order mark skipped). */
export function parseJsonBytes(bytes: Buffer): unknown {
  const start = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  const utf8 = hasHighEscape(bytes, start);
  const parse = (from: number, to: number): unknown =>
    utf8 ? JSON.parse(bytes.toString('utf8', from, to)) : decodeStrings(JSON.parse(bytes.toString('latin1', from, to)));
  try {
    const entries = arrayEntries(bytes, start, parse);
    if (entries) return entries;
  } catch {
    // An entry JSON.parse refuses: the whole text's parse below says what is wrong, and where.
  }
  return parse(start, bytes.length);
}

/** True when a \u escape gives a character above ASCII (or a backslash precedes a u: then too, to be safe). */
function hasHighEscape(bytes: Buffer, start: number): boolean {
  for (let at = bytes.indexOf('\\u', start); at >= 0; at = bytes.indexOf('\\u', at + 2)) {
    if (!(bytes[at + 2] === 0x30 && bytes[at + 3] === 0x30 && bytes[at + 4]! >= 0x30 && bytes[at + 4]! <= 0x37)) return true;
  }
  return false;
}

/**
 * The entries of a top-level array, each parsed by `parse` from its own bytes; undefined when the text
 * is not one array (an object, trailing text, an unclosed string). Entries end at commas and brackets
 * outside strings, which are ASCII: a UTF-8 sequence is never cut.
 */
function arrayEntries(bytes: Buffer, start: number, parse: (from: number, to: number) => unknown): unknown[] | undefined {
  let at = skipSpace(bytes, start);
  if (bytes[at] !== OPEN_ARRAY) return undefined;
  const entries: unknown[] = [];
  let from = at + 1;
  let depth = 0;
  for (at = from; at < bytes.length; at++) {
    const c = bytes[at];
    if (c === QUOTE) {
      at = stringEnd(bytes, at);
      if (at < 0) return undefined;
    } else if (c === OPEN_OBJECT || c === OPEN_ARRAY) depth++;
    else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
      if (depth > 0) depth--;
      else {
        if (c !== CLOSE_ARRAY) return undefined;
        // `[]` holds no entry; `[1,]` an empty last one, which parse refuses.
        if (entries.length > 0 || skipSpace(bytes, from) < at) entries.push(parse(from, at));
        return skipSpace(bytes, at + 1) === bytes.length ? entries : undefined;
      }
    } else if (c === COMMA && depth === 0) {
      entries.push(parse(from, at));
      from = at + 1;
    }
  }
  return undefined;
}

/** Where the string opened by the quote at `open` ends (its closing quote), or -1. */
function stringEnd(bytes: Buffer, open: number): number {
  for (let quote = bytes.indexOf(QUOTE, open + 1); quote >= 0; quote = bytes.indexOf(QUOTE, quote + 1)) {
    let backslashes = 0;
    while (bytes[quote - 1 - backslashes] === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return quote;
  }
  return -1;
}

/** The first byte from `at` on that is not JSON whitespace. */
function skipSpace(bytes: Buffer, at: number): number {
  while (at < bytes.length && (bytes[at] === 0x20 || bytes[at] === 0x0a || bytes[at] === 0x0d || bytes[at] === 0x09)) at++;
  return at;
}

function decodeStrings(value: unknown): unknown {
  if (typeof value === 'string') return ABOVE_ASCII.test(value) ? Buffer.from(value, 'latin1').toString('utf8') : value;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      if (typeof item === 'string' || (typeof item === 'object' && item !== null)) value[i] = decodeStrings(item);
    }
    return value;
  }
  if (typeof value !== 'object' || value === null) return value;
  const object = value as Record<string, unknown>;
  for (const key of Object.keys(object)) {
    const item = object[key];
    if (typeof item === 'string' || (typeof item === 'object' && item !== null)) object[key] = decodeStrings(item);
  }
  // Keys above ASCII (rare): the object again, with its keys decoded, in the same order.
  if (!Object.keys(object).some((key) => ABOVE_ASCII.test(key))) return object;
  return Object.fromEntries(Object.entries(object).map(([key, item]) => [decodeStrings(key) as string, item]));
}
