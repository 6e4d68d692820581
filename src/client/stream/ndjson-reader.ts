/** Reads an NDJSON body with ndjson-readablestream, framed so that malformed lines fail instead of vanishing. */
import readNDJSONStream from 'ndjson-readablestream'
import { NdjsonFramer } from './ndjson-framer.ts'
import { createTaskSlicer } from './task-slicer.ts'

/** How reading ended: the body ended, or `onLine` asked to stop. */
export type ReadEnd = 'ended' | 'stopped'

/**
 * Calls `onLine` with each parsed line and its 1-based number (blank lines not counted); `onLine` returns
 * false to stop reading, or a promise of that to hold reading until the consumer catches up. Gives the
 * browser a turn every few milliseconds so a buffered stream does not block painting. Rejects with MalformedLineError for a bad line, or with the body's error (dropped
 * connection, abort).
 */
export async function readNdjson(
  body: ReadableStream<Uint8Array>,
  onLine: (line: unknown, lineNumber: number) => boolean | Promise<boolean>,
): Promise<ReadEnd> {
  const framer = new NdjsonFramer()
  const slice = createTaskSlicer()
  for await (const line of readNDJSONStream<unknown>(framer.frame(body))) {
    framer.markConsumed()
    let go = onLine(line, framer.consumed)
    if (typeof go !== 'boolean') go = await go
    if (!go) return 'stopped'
    const pause = slice()
    if (pause) await pause
  }
  framer.finish()
  return 'ended'
}
