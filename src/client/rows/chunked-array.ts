/**
 * A growable typed array stored as fixed-size chunks: appending never copies what is already stored (only
 * the small first chunk doubles while it is short), so millions of rows grow without 2x reallocation peaks.
 */

const CHUNK_BITS = 16
/** Rows per full chunk. */
export const CHUNK_SIZE = 1 << CHUNK_BITS
const CHUNK_MASK = CHUNK_SIZE - 1
const FIRST_CHUNK = 1024

type NumericArray = Float64Array | Uint32Array

/** Chunked Float64Array or Uint32Array; unwritten slots hold `empty` (NaN for floats, 0 for ids). */
export class ChunkedArray<T extends NumericArray> {
  private readonly chunks: T[] = []
  private capacity = 0

  /**
   * @param make allocates one chunk of the element type
   * @param empty value of slots never written (NaN marks a null number; 0 a null string id)
   */
  constructor(
    private readonly make: (length: number) => T,
    private readonly empty: number,
  ) {}

  /** Value at `index` (must be below the capacity reserved so far). */
  get(index: number): number {
    return this.chunks[index >>> CHUNK_BITS][index & CHUNK_MASK]
  }

  /** Writes `value` at `index`, growing the storage when needed. */
  set(index: number, value: number): void {
    if (index >= this.capacity) this.reserve(index + 1)
    this.chunks[index >>> CHUNK_BITS][index & CHUNK_MASK] = value
  }

  /** Writes without a capacity check: call `reserve` first (the append loops do, once per batch). */
  put(index: number, value: number): void {
    this.chunks[index >>> CHUNK_BITS][index & CHUNK_MASK] = value
  }

  /** Grows the storage to hold at least `length` values. */
  reserve(length: number): void {
    while (this.capacity < length) this.grow()
  }

  /** A contiguous copy of the first `length` values, for a worker or a sort. */
  toContiguous(length: number): T {
    const out = this.make(length)
    if (this.empty !== 0) out.fill(this.empty)
    let offset = 0
    for (const chunk of this.chunks) {
      if (offset >= length) break
      const n = Math.min(chunk.length, length - offset)
      out.set(n === chunk.length ? chunk : (chunk.subarray(0, n) as T), offset)
      offset += n
    }
    return out
  }

  /** Bytes held (for memory reporting). */
  byteLength(): number {
    let n = 0
    for (const c of this.chunks) n += c.byteLength
    return n
  }

  private grow(): void {
    const last = this.chunks.length - 1
    const tail = last >= 0 ? this.chunks[last] : undefined
    if (tail && tail.length < CHUNK_SIZE) {
      const bigger = this.allocate(Math.min(CHUNK_SIZE, tail.length * 2))
      bigger.set(tail)
      this.chunks[last] = bigger
      this.capacity += bigger.length - tail.length
      return
    }
    // Once a column fills its first chunk it is evidently large: later chunks start at full size.
    const chunk = this.allocate(this.chunks.length === 0 ? FIRST_CHUNK : CHUNK_SIZE)
    this.chunks.push(chunk)
    this.capacity += chunk.length
  }

  private allocate(length: number): T {
    const chunk = this.make(length)
    if (this.empty !== 0) chunk.fill(this.empty)
    return chunk
  }
}

/** A chunked Float64Array whose unwritten slots are NaN (null). */
export function chunkedFloat64(): ChunkedArray<Float64Array> {
  return new ChunkedArray((n) => new Float64Array(n), Number.NaN)
}

/** A chunked Uint32Array whose unwritten slots are 0 (the null string id). */
export function chunkedUint32(): ChunkedArray<Uint32Array> {
  return new ChunkedArray((n) => new Uint32Array(n), 0)
}
