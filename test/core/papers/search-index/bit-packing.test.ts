import { describe, expect, it } from 'vitest';
import { packBlocks, unpackBlocks } from '../../../../src/core/papers/search-index/bit-packing.js';

/** A small deterministic generator, so that a failure can be replayed. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

describe('postings packed per block', () => {
  it.each([0, 1, 2, 3, 7, 8, 9, 15, 16, 17, 23, 24, 25, 31, 32])('round-trips values of %i bits, a short last block included', (width) => {
    const next = random(width + 1);
    const values = new Uint32Array(64 * 3 + 17);
    for (let i = 0; i < values.length; i++) values[i] = width === 0 ? 0 : Math.floor(next() * 2 ** width);
    values[5] = width === 0 ? 0 : 2 ** width - 1; // the widest value of its width
    const packed = Buffer.from(packBlocks(values, 64));
    expect(unpackBlocks(packed, values.length, 64, new Uint32Array(values.length))).toEqual(values);
    // Four width bytes, then each block in whole 32-bit words.
    expect(packed.length).toBe(4 + 4 * (Math.ceil((64 * width) / 32) * 3 + Math.ceil((17 * width) / 32)));
  });

  it('gives each block the width of its own largest value', () => {
    const values = new Uint16Array(128);
    values.fill(3, 0, 64);
    values.fill(300, 64);
    const packed = Buffer.from(packBlocks(values, 64));
    expect(packed.length).toBe(4 + 16 + 72);
    expect(unpackBlocks(packed, 128, 64, new Uint16Array(128))).toEqual(values);
  });
});
