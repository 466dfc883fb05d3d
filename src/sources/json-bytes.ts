/**
 * JSON.parse of a file's bytes, without decoding the whole file as UTF-8 first: V8 decodes UTF-8 with
 * any non-ASCII character in it (an accented author) several times slower than it parses. The bytes are
 * read as Latin-1 (one character per byte, quick), parsed, and only the strings holding bytes above
 * ASCII are decoded as UTF-8, each on its own. The result equals JSON.parse(bytes.toString('utf8')): a
 * multi-byte UTF-8 sequence never holds an ASCII byte, so the JSON structure is the same, and each
 * string's bytes decode alike, invalid ones to U+FFFD. Escapes that give a character above ASCII
 * (`\u00e9`) would be decoded twice: a file with any is decoded whole, as usual.
 * @module
 */

const ABOVE_ASCII = /[\x80-\xff]/;
/** A \u escape of a character above ASCII (or a backslash before a u, which only costs the quick path). */
const HIGH_ESCAPE = /\\u(?!00[0-7])/;

/** JSON.parse of the UTF-8 `bytes` (a leading byte-order mark skipped). */
export function parseJsonBytes(bytes: Buffer): unknown {
  const start = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  const text = bytes.toString('latin1', start);
  const escape = bytes.indexOf('\\u', start);
  if (escape >= 0 && HIGH_ESCAPE.test(text.slice(escape - start))) return JSON.parse(bytes.toString('utf8', start));
  return decodeStrings(JSON.parse(text));
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
