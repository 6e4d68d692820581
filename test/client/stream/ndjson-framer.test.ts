import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { NdjsonFramer } from '../../../src/client/stream/ndjson-framer.ts'
import { MalformedLineError } from '../../../src/client/api/trace-errors.ts'

const encoder = new TextEncoder()
const decoder = new TextDecoder()

function bodyOf(chunks: readonly Uint8Array[], failure?: Error): ReadableStream<Uint8Array> {
  let i = 0
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (i < chunks.length) controller.enqueue(chunks[i++])
      else if (failure) controller.error(failure)
      else controller.close()
    },
  })
}

/** Cuts `bytes` at the given offsets (any offset, so a cut may fall inside a multi-byte character). */
function cut(bytes: Uint8Array, offsets: readonly number[]): Uint8Array[] {
  const at = [...new Set(offsets.map((o) => o % (bytes.length + 1)))].sort((a, b) => a - b)
  const out: Uint8Array[] = []
  let prev = 0
  for (const o of [...at, bytes.length]) {
    if (o > prev) out.push(bytes.slice(prev, o))
    prev = o
  }
  return out
}

/** Reads every framed line as text, marking each consumed as a parser would. */
async function readAll(framer: NdjsonFramer, body: ReadableStream<Uint8Array>): Promise<string[]> {
  const lines: string[] = []
  const reader = framer.frame(body).getReader()
  for (;;) {
    const { done, value } = await reader.read()
    if (done) return lines
    lines.push(decoder.decode(value))
    framer.markConsumed()
  }
}

describe('NdjsonFramer', () => {
  it('frames the same trimmed lines however the body is cut into reads', async () => {
    const line = fc
      .dictionary(fc.string({ maxLength: 6 }), fc.oneof(fc.string({ maxLength: 8 }), fc.integer()), { maxKeys: 4 })
      .map((o) => JSON.stringify(o))
    await fc.assert(
      fc.asyncProperty(
        fc.array(line, { minLength: 1, maxLength: 12 }),
        fc.array(fc.nat(), { maxLength: 10 }),
        fc.constantFrom('\n', '\r\n', ' \n\n'),
        async (lines, offsets, eol) => {
          const bytes = encoder.encode(lines.join(eol) + eol)
          const framer = new NdjsonFramer()
          expect(await readAll(framer, bodyOf(cut(bytes, offsets)))).toEqual(lines)
          expect(() => framer.finish()).not.toThrow()
        },
      ),
      { numRuns: 200 },
    )
  })

  it('delivers the lines before a line that is not an object, then reports that line by number', async () => {
    const framer = new NdjsonFramer()
    const lines = await readAll(framer, bodyOf([encoder.encode('{"a":1}\n{"b":2}\n[3]\n{"c":4}\n')]))
    expect(lines).toEqual(['{"a":1}', '{"b":2}'])
    let caught: unknown
    try {
      framer.finish()
    } catch (err) {
      caught = err
    }
    expect(caught).toBeInstanceOf(MalformedLineError)
    expect(String((caught as Error).message)).toContain('3')
  })

  it('delivers the lines read before the connection failed, then reports the failure', async () => {
    const failure = new Error('connection reset')
    const framer = new NdjsonFramer()
    const lines = await readAll(framer, bodyOf([encoder.encode('{"a":1}\n{"b":'), encoder.encode('2}\n')], failure))
    expect(lines).toEqual(['{"a":1}', '{"b":2}'])
    expect(() => framer.finish()).toThrow(failure)
  })

  it('reports a framed line the parser never turned into an object', async () => {
    const framer = new NdjsonFramer()
    const reader = framer.frame(bodyOf([encoder.encode('{"a":1}\n{"b":oops}\n')])).getReader()
    await reader.read()
    framer.markConsumed()
    await reader.read()
    expect((await reader.read()).done).toBe(true)
    expect(() => framer.finish()).toThrow(MalformedLineError)
  })
})
