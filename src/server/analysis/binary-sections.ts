/**
 * A compact container for a stored analysis: a JSON header (the strings) followed by typed arrays, each
 * aligned to 8 bytes so a reader views them in place instead of parsing millions of numbers from text.
 * Layout: magic (4 bytes), header length (uint32 LE), header JSON (UTF-8, with each section's length), padding,
 * then the sections in order, each padded to 8 bytes.
 */
export type Section = Int32Array | Uint32Array | Float64Array
type SectionType = Int32ArrayConstructor | Uint32ArrayConstructor | Float64ArrayConstructor

const align8 = (n: number): number => Math.ceil(n / 8) * 8

export function encodeSections(magic: string, header: object, sections: readonly Section[]): Buffer {
  const head = Buffer.from(JSON.stringify({ ...header, lengths: sections.map((s) => s.length) }), 'utf8')
  let size = align8(8 + head.length)
  for (const s of sections) size += align8(s.byteLength)
  const out = Buffer.alloc(size)
  out.write(magic, 0, 4, 'latin1')
  out.writeUInt32LE(head.length, 4)
  head.copy(out, 8)
  let at = align8(8 + head.length)
  for (const s of sections) {
    out.set(new Uint8Array(s.buffer, s.byteOffset, s.byteLength), at)
    at += align8(s.byteLength)
  }
  return out
}

/**
 * The header and the sections of `bytes`, typed by `types` in order; the sections are views of `bytes` (copied
 * once when it is not 8-byte aligned). Throws on a foreign magic.
 */
export function decodeSections<H>(
  magic: string,
  bytes: Uint8Array,
  types: readonly SectionType[],
): { header: H; sections: Section[] } {
  const buf = bytes.byteOffset % 8 === 0 ? bytes : new Uint8Array(bytes)
  const view = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength)
  if (view.toString('latin1', 0, 4) !== magic) throw new Error(`not a stored analysis (expected ${magic})`)
  const headLength = view.readUInt32LE(4)
  const header = JSON.parse(view.toString('utf8', 8, 8 + headLength)) as H & { lengths: number[] }
  let at = align8(8 + headLength)
  const sections = types.map((Type, i) => {
    const length = header.lengths[i]
    const section = new Type(buf.buffer as ArrayBuffer, buf.byteOffset + at, length)
    at += align8(length * Type.BYTES_PER_ELEMENT)
    return section
  })
  return { header, sections }
}
