/** Test bodies for the job stream: chunks delivered one per read, a dropped connection, or a stream left open. */

/**
 * A part of a body: text (one read each), or a failure of the connection at that point, `afterMs` later
 * (a connection error discards bytes the reader has not taken yet, as in a browser, so a test that needs
 * the lines before the drop applied gives the reader time).
 */
export type BodyPart = string | Uint8Array | { readonly drop: string; readonly afterMs?: number }

/** One NDJSON line (newline included). */
export function line(value: unknown): string {
  return `${JSON.stringify(value)}\n`
}

/**
 * A byte stream that yields each part on its own read; after the parts it closes, or stays open when
 * `keepOpen` (until the reader cancels it, as an aborted fetch does).
 */
export function bodyOf(parts: readonly BodyPart[], keepOpen = false): ReadableStream<Uint8Array> {
  const enc = new TextEncoder()
  let i = 0
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (i >= parts.length) {
        if (!keepOpen) controller.close()
        else await new Promise<void>(() => {})
        return
      }
      const part = parts[i++]
      if (typeof part === 'string') controller.enqueue(enc.encode(part))
      else if (part instanceof Uint8Array) controller.enqueue(part)
      else {
        if (part.afterMs) await new Promise((resolve) => setTimeout(resolve, part.afterMs))
        controller.error(new TypeError(part.drop))
      }
    },
  })
}

/** A response streaming `parts` as NDJSON. */
export function ndjsonResponse(parts: readonly BodyPart[], keepOpen = false): Response {
  return new Response(bodyOf(parts, keepOpen), {
    headers: { 'content-type': 'application/x-ndjson', 'cache-control': 'no-cache, no-transform' },
  })
}
