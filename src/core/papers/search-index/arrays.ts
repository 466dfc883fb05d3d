/** Typed arrays to and from SQLite blobs (little-endian, as this machine and every Node platform is). */

/** A view of the blob when it is aligned, else a copy. */
function aligned<T>(blob: Buffer, bytes: number, make: (buffer: ArrayBufferLike, offset: number, length: number) => T): T {
  const length = blob.length / bytes;
  if (blob.byteOffset % bytes === 0) return make(blob.buffer, blob.byteOffset, length);
  const copy = new Uint8Array(blob.length);
  copy.set(blob);
  return make(copy.buffer, 0, length);
}

export const toUint32 = (blob: Buffer) => aligned(blob, 4, (b, o, n) => new Uint32Array(b, o, n));
export const toInt32 = (blob: Buffer) => aligned(blob, 4, (b, o, n) => new Int32Array(b, o, n));
export const toUint16 = (blob: Buffer) => aligned(blob, 2, (b, o, n) => new Uint16Array(b, o, n));
export const toFloat32 = (blob: Buffer) => aligned(blob, 4, (b, o, n) => new Float32Array(b, o, n));

export const toBlob = (array: ArrayBufferView) => Buffer.from(array.buffer, array.byteOffset, array.byteLength);
