/**
 * Frames an NDJSON byte stream for ndjson-readablestream so that nothing is swallowed. That reader keeps
 * appending text after a line it cannot parse and silently drops it at the end; fed one line per chunk,
 * pulled one at a time (so it never runs more than a few lines ahead), its failure becomes visible: a line
 * that is not `{…}` fails at once, and a line that looks like an object but does not parse shows up as lines
 * framed that never came out as objects.
 */
import { MalformedLineError } from '../api/index.ts'

const NEWLINE = 10
const OPEN_BRACE = 123
const CLOSE_BRACE = 125
const EXCERPT_BYTES = 120
const excerptDecoder = new TextDecoder()

function isSpace(byte: number): boolean {
  return byte === 32 || byte === 9 || byte === 13
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  let n = 0
  for (const p of parts) n += p.length
  const out = new Uint8Array(n)
  let at = 0
  for (const p of parts) {
    out.set(p, at)
    at += p.length
  }
  return out
}

interface FramedLine {
  readonly bytes: Uint8Array
  readonly excerpt: string
  /** Set when the line is not `{…}`: it fails when its turn comes, after the lines before it. */
  readonly bad: boolean
}

export class NdjsonFramer {
  /** Lines handed to the parser. */
  framed = 0
  /** Objects the parser produced (the caller counts them with `markConsumed`). */
  consumed = 0
  /**
   * Why framing stopped early (a bad line, the connection failing, an abort). The framed stream then closes
   * instead of erroring: an error would race ahead through the parser's pipe and discard lines already
   * framed, and those rows must still be applied (and a resume must start after them).
   */
  private failure: unknown = undefined
  private readonly excerpts = new Map<number, string>()

  /**
   * @param maxLead lines the parser may be behind before the oldest unparsed line counts as malformed
   *   (pull-based framing keeps the real lead at two or three; default 8)
   */
  constructor(private readonly maxLead = 8) {}

  /** The body as one trimmed JSON-object line per chunk, blank lines dropped. */
  frame(body: ReadableStream<Uint8Array>): ReadableStream<Uint8Array> {
    const reader = body.getReader()
    const ready: FramedLine[] = []
    let partial: Uint8Array[] = []
    let sourceDone = false

    const take = (line: Uint8Array): void => {
      let a = 0
      let b = line.length - 1
      while (a <= b && isSpace(line[a])) a++
      if (a > b) return
      while (isSpace(line[b])) b--
      const excerpt = excerptDecoder.decode(line.subarray(a, Math.min(b + 1, a + EXCERPT_BYTES)))
      ready.push({ bytes: line.subarray(a, b + 1), excerpt, bad: line[a] !== OPEN_BRACE || line[b] !== CLOSE_BRACE })
    }

    const split = (chunk: Uint8Array): void => {
      let start = 0
      for (let nl = chunk.indexOf(NEWLINE); nl >= 0; nl = chunk.indexOf(NEWLINE, start)) {
        const piece = chunk.subarray(start, nl)
        take(partial.length > 0 ? concat([...partial, piece]) : piece)
        partial = []
        start = nl + 1
      }
      // A view, not a copy: each read returns a fresh buffer, and a long line (thousands of rows) spans many
      // reads that concat copies once anyway.
      if (start < chunk.length) partial.push(chunk.subarray(start))
    }

    const stop = (controller: ReadableStreamDefaultController<Uint8Array>, failure: unknown): void => {
      this.failure = failure
      controller.close()
      reader.cancel(failure).catch(() => {})
    }

    return new ReadableStream<Uint8Array>(
      {
        pull: async (controller) => {
          try {
            while (ready.length === 0 && !sourceDone) {
              const { done, value } = await reader.read()
              if (done) {
                sourceDone = true
                if (partial.length > 0) take(concat(partial))
                partial = []
              } else split(value)
            }
          } catch (err) {
            // Lines framed before the failure are still delivered; the failure is reported after them.
            if (ready.length === 0) return stop(controller, err)
            sourceDone = true
            this.failure = err
          }
          const line = ready.shift()
          if (!line) {
            if (this.failure !== undefined) return stop(controller, this.failure)
            controller.close()
            return
          }
          const n = this.framed + 1
          this.excerpts.set(n, line.excerpt)
          this.excerpts.delete(n - this.maxLead - 2)
          if (line.bad) return stop(controller, new MalformedLineError(n, line.excerpt, 'not a JSON object'))
          if (n - this.consumed > this.maxLead) return stop(controller, this.unparsed())
          this.framed = n
          controller.enqueue(line.bytes)
        },
        cancel: (reason) => reader.cancel(reason),
      },
      { highWaterMark: 0 },
    )
  }

  /** Counts one object produced by the parser. */
  markConsumed(): void {
    this.consumed++
  }

  /**
   * Call when the parser has finished: throws for a framed line that never came out as an object, else for
   * the reason framing stopped early (bad line, connection failure, abort).
   */
  finish(): void {
    if (this.consumed < this.framed) throw this.unparsed()
    if (this.failure !== undefined) throw this.failure
  }

  private unparsed(): MalformedLineError {
    const n = this.consumed + 1
    return new MalformedLineError(n, this.excerpts.get(n) ?? '', 'not valid JSON')
  }
}
