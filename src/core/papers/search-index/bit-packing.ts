/**
 * Postings stored small: a search's first touch of a chunk is a disk read, so bytes read are time.
 * Values are packed per block of 64 (the blocks the score bounds are kept for) with as few bits as the
 * block's largest value needs. Layout: one byte per block giving its width (padded to 4 bytes), then
 * each block's values in 32-bit words, least significant bits first, so that unpacking reads words.
 * A common word's pk gaps take 2-4 bits and its frequencies 1-4, against 16 and 8 unpacked.
 * @module
 */
import { toUint32 } from './arrays.js';

const widthOf = (max: number) => (max === 0 ? 0 : Math.floor(Math.log2(max)) + 1);
const align4 = (n: number) => (n + 3) & ~3;
const wordsFor = (values: number, width: number) => Math.ceil((values * width) / 32);

/** Packs `values` block by block; values must fit in 32 bits. */
export function packBlocks(values: ArrayLike<number>, block: number): Uint8Array {
  const blocks = Math.ceil(values.length / block);
  const widths = new Uint8Array(blocks);
  let words = 0;
  for (let b = 0; b < blocks; b++) {
    let max = 0;
    for (let i = b * block; i < Math.min(values.length, (b + 1) * block); i++) if (values[i]! > max) max = values[i]!;
    widths[b] = widthOf(max);
    words += wordsFor(Math.min(block, values.length - b * block), widths[b]!);
  }
  const head = align4(blocks);
  const out = new Uint8Array(head + words * 4);
  out.set(widths);
  const data = new Uint32Array(out.buffer, head, words);
  let at = 0;
  for (let b = 0; b < blocks; b++) {
    const width = widths[b]!;
    const end = Math.min(values.length, (b + 1) * block);
    let used = 0;
    for (let i = b * block; i < end && width > 0; i++) {
      const value = values[i]!;
      data[at]! |= value << used;
      used += width;
      if (used >= 32) {
        used -= 32;
        at++;
        // The value's high bits that did not fit (none when it ended on the word's last bit).
        if (used > 0) data[at] = value >>> (width - used);
      }
    }
    if (used > 0) at++;
  }
  return out;
}

/**
 * Unpacks `count` values packed by {@link packBlocks} into `out`; with `runningFrom`, values are gaps
 * and `out` gets their running sum from it (pks from pk gaps) in the same pass.
 */
export function unpackBlocks<T extends Uint32Array | Uint16Array>(bytes: Buffer, count: number, block: number, out: T, runningFrom?: number): T {
  const running = runningFrom !== undefined;
  let sum = runningFrom ?? 0;
  const blocks = Math.ceil(count / block);
  const head = align4(blocks);
  const data = toUint32(bytes.subarray(head));
  let at = 0;
  for (let b = 0; b < blocks; b++) {
    const width = bytes[b]!;
    const start = b * block;
    const end = Math.min(count, start + block);
    if (width === 0) {
      out.fill(running ? sum : 0, start, end);
      continue;
    }
    if (width === 32) {
      for (let i = start; i < end; i++) out[i] = running ? (sum += data[at++]!) : data[at++]!;
      continue;
    }
    const mask = (1 << width) - 1;
    let word = data[at]!;
    let used = 0;
    for (let i = start; i < end; i++) {
      let value = word >>> used;
      used += width;
      if (used >= 32) {
        used -= 32;
        at++;
        word = at < data.length ? data[at]! : 0;
        if (used > 0) value |= word << (width - used);
      }
      out[i] = running ? (sum += value & mask) : value & mask;
    }
    if (used > 0) at++;
  }
  return out;
}
