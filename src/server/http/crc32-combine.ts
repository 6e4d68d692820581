/**
 * CRC-32 of two byte runs joined, from their CRCs and the second's length (zlib's crc32_combine, which
 * node:zlib does not expose): what a gzip trailer needs when deflate data of already compressed parts is
 * spliced without reading their plain bytes.
 */
const POLY = 0xedb88320

/** (a · b) mod p(x) over GF(2), CRC bit order. */
function multModP(a: number, b: number): number {
  let m = 0x80000000
  let p = 0
  for (;;) {
    if (a & m) {
      p ^= b
      if ((a & (m - 1)) === 0) break
    }
    m >>>= 1
    b = b & 1 ? (b >>> 1) ^ POLY : b >>> 1
  }
  return p >>> 0
}

/** X2N[k] = x^(2^k) mod p(x). */
const X2N: number[] = [0x40000000]
for (let k = 1; k < 32; k++) X2N.push(multModP(X2N[k - 1], X2N[k - 1]))

/** x^(n · 2^k) mod p(x). */
function x2nModP(n: number, k: number): number {
  let p = 0x80000000
  while (n > 0) {
    if (n % 2 === 1) p = multModP(X2N[k & 31], p)
    n = Math.floor(n / 2)
    k += 1
  }
  return p
}

/** CRC-32 of A followed by B, given crc(A), crc(B) and B's length in bytes. */
export function crc32Combine(crcA: number, crcB: number, lengthB: number): number {
  return (multModP(x2nModP(lengthB, 3), crcA) ^ crcB) >>> 0
}
