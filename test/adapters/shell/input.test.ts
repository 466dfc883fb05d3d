import { Readable, Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runShell } from '../../../src/adapters/shell/index.js';
import { createInbound } from '../../../src/commands/inbound.js';
import { createTestCore, type TestCore } from '../../helpers/test-core.js';

const LONE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
let t: TestCore;
beforeEach(() => {
  t = createTestCore();
});
afterEach(() => t.close());

async function shell(lines: string[]): Promise<string> {
  let out = '';
  // Object mode keeps the strings as written: a lone surrogate would show, not turn into U+FFFD on the way.
  const output = new Writable({ objectMode: true, write: (chunk: string, _encoding, done) => {
      out += chunk;
      done();
    } });
  // Strings, not bytes: what a stream of decoded text (a pipe through a broken decoder, a test) hands over.
  await runShell({ inbound: createInbound(t.core), input: Readable.from(lines.map((l) => `${l}\n`)), output });
  return out;
}

describe('terminal input', () => {
  it('makes lone surrogates well-formed before anything reads them', async () => {
    const out = await shell(['/subscribe include=agents\uD800x', '/paper 2403.08295 kor\uDC00ean', '/nope\uD83D']);
    const saved = t.core.subscriptions.find({ platform: 'shell', workspace: 'local', channel: 'terminal' });
    expect(saved?.includeKeywords).toEqual(['agents\uFFFDx']);
    expect(out).toContain('Unknown language "kor\uFFFDean"');
    expect(out).toContain('Unknown command /nope\uFFFD');
    expect(LONE.test(out)).toBe(false);
  });
});
