import { http, HttpResponse } from 'msw'
import { afterEach, describe, expect, it } from 'vitest'
import type { ReceivedItem } from '../../../src/client/rows/columnar-records.ts'
import { readJobStream } from '../../../src/client/stream/job-stream-reader.ts'
import type { ParserHandle, StreamRequest } from '../../../src/client/stream/stream-read-types.ts'
import { MAX_AHEAD, serveStreamParser, type ParserScope } from '../../../src/client/stream/stream-parser.ts'
import { ApiRequestError, MalformedLineError } from '../../../src/client/api/trace-errors.ts'
import { bodyOf, line, type BodyPart } from '../support/ndjson-body.ts'
import { useMswServer } from '../support/trace-harness.ts'

const { server } = useMswServer()
const PATH = '/api/trace/job/j1/stream'

/** Serves `body` as the job's stream; returns the request for readJobStream. */
function serve(body: readonly BodyPart[] | ReadableStream<Uint8Array>, keepOpen = false): StreamRequest {
  server.use(
    http.get(
      `*${PATH}`,
      () =>
        new Response(Array.isArray(body) ? bodyOf(body, keepOpen) : (body as ReadableStream<Uint8Array>), {
          headers: { 'content-type': 'application/x-ndjson' },
        }),
    ),
  )
  return { path: PATH, api: { baseUrl: 'http://localhost/' }, signal: new AbortController().signal }
}

/** A parser on the far end of a MessageChannel: the same messages and transfers as a Web Worker gets. */
const open: MessagePort[] = []
function channelParser(): ParserHandle & { terminated: boolean } {
  const { port1, port2 } = new MessageChannel()
  open.push(port1, port2)
  serveStreamParser(port2 as unknown as ParserScope)
  const handle = {
    terminated: false,
    set onmessage(fn: ((event: MessageEvent) => void) | null) {
      port1.onmessage = fn
    },
    get onmessage() {
      return port1.onmessage as ((event: MessageEvent) => void) | null
    },
    postMessage: (message: unknown, transfer: Transferable[]) => port1.postMessage(message, transfer),
    terminate: () => {
      handle.terminated = true
      port1.close()
      port2.close()
    },
  }
  return handle as ParserHandle & { terminated: boolean }
}

afterEach(() => {
  for (const p of open.splice(0)) p.close()
})

const start = { type: 'domain_start', domain: 'history', columns: ['CONTAINERNAME', 'QTY'] }
const records = (batch: number) => ({
  type: 'records',
  domain: 'history',
  batch,
  count: 2,
  rows: [
    [`L${batch}`, batch],
    [`L${batch}`, null],
  ],
})

describe.each([1, 2])('readJobStream with %i parser(s) on MessageChannels', (poolSize) => {
  // Every parser the reader starts: all must be stopped when it settles.
  let started: (ParserHandle & { terminated: boolean })[] = []
  const starter = (): ParserHandle => {
    const p = channelParser()
    started.push(p)
    return p
  }
  const readWith = (request: StreamRequest, onItem: (item: ReceivedItem) => boolean): Promise<'ended' | 'stopped'> => {
    started = []
    return readJobStream(request, onItem, starter, poolSize)
  }
  const allStopped = (): boolean => started.length === poolSize && started.every((p) => p.terminated)

  it('delivers every line in order, records encoded by column with their strings', async () => {
    const items: ReceivedItem[] = []
    const lines = [
      start,
      ...Array.from({ length: 12 }, (_, b) => records(b)),
      { type: 'complete', total_records: 24, counts: { history: 24 } },
    ]
    const end = await readWith(serve(lines.map(line)), (item) => (items.push(item), true))
    expect(end).toBe('ended')
    expect(allStopped()).toBe(true)
    expect(items.map((i) => [i.kind, i.lineNumber])).toEqual(
      lines.map((l, n) => [l.type === 'records' ? 'records' : 'line', n + 1]),
    )
    const last = items[12]
    if (last.kind !== 'records') throw new Error('expected records')
    const [names, qty] = last.records.columns
    expect(names.kind === 'text' && [...names.ids].map((id) => names.strings[id])).toEqual(['L11', 'L11'])
    expect(qty.kind === 'number' && [...qty.values]).toEqual([11, Number.NaN])
  })

  it('stops when the page says so, and stops the parser', async () => {
    let seen = 0
    const end = await readWith(serve([start, records(0), records(1), records(2)].map(line), true), () => ++seen < 2)
    expect(end).toBe('stopped')
    expect(seen).toBe(2)
    expect(allStopped()).toBe(true)
  })

  it('rejects with a MalformedLineError (its line number and text) for a line that does not parse', async () => {
    const seen: number[] = []
    const reading = readWith(
      serve([line(start), line(records(0)), '{"type":"records",\n']),
      (i) => (seen.push(i.lineNumber), true),
    )
    const err = await reading.catch((e: unknown) => e)
    expect(err).toBeInstanceOf(MalformedLineError)
    expect((err as MalformedLineError).lineNumber).toBe(3)
    expect((err as MalformedLineError).excerpt).toBe('{"type":"records",')
    expect(seen).toEqual([1, 2])
  })

  it('rejects with the connection error after the lines that arrived before it', async () => {
    const seen: number[] = []
    const reading = readWith(
      serve([line(start), line(records(0)), { drop: 'socket hang up', afterMs: 20 }]),
      (i) => (seen.push(i.lineNumber), true),
    )
    await expect(reading).rejects.toThrow('socket hang up')
    expect(seen).toEqual([1, 2])
  })

  it('rejects with what the page threw, and stops the parser', async () => {
    const reading = readWith(serve([start, records(0)].map(line)), () => {
      throw new Error('bad outcome')
    })
    await expect(reading).rejects.toThrow('bad outcome')
    expect(allStopped()).toBe(true)
  })

  it("rejects with the server's error as an ApiRequestError (status, code, message)", async () => {
    server.use(
      http.get(`*${PATH}`, () =>
        HttpResponse.json({ success: false, error: { code: 'JOB_NOT_FOUND', message: 'no job j1' } }, { status: 404 }),
      ),
    )
    const err = await readWith(
      { path: PATH, api: { baseUrl: 'http://localhost/' }, signal: new AbortController().signal },
      () => true,
    ).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(ApiRequestError)
    expect(err).toMatchObject({ status: 404, code: 'JOB_NOT_FOUND', message: 'no job j1' })
  })

  it('rejects with the abort reason when the page aborts, and stops the parser', async () => {
    const request = serve([start, records(0)].map(line), true)
    const controller = new AbortController()
    let seen = 0
    const reading = readWith({ ...request, signal: controller.signal }, () => (++seen, true))
    await expect.poll(() => seen).toBe(2)
    controller.abort(new DOMException('cancelled', 'AbortError'))
    await expect(reading).rejects.toThrow('cancelled')
    expect(allStopped()).toBe(true)
  })

  it('rejects with a MalformedLineError for a braced line that is not JSON, after the lines before it', async () => {
    const seen: number[] = []
    const lines = [line(start), line(records(0)), line(records(1)), '{"type": nope}\n', line(records(2))]
    const err = await readWith(serve(lines), (i) => (seen.push(i.lineNumber), true)).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(MalformedLineError)
    expect((err as MalformedLineError).lineNumber).toBe(4)
    expect(seen).toEqual([1, 2, 3])
  })
})

describe('readJobStream through one parser port', () => {
  it(`holds the read while ${MAX_AHEAD} items wait for the page`, async () => {
    const lines = [start, ...Array.from({ length: 20 }, (_, b) => records(b))]
    let pulled = 0
    const reader = bodyOf(lines.map(line)).getReader()
    const counted = new ReadableStream<Uint8Array>({
      async pull(controller) {
        const { done, value } = await reader.read()
        if (done) return controller.close()
        pulled++
        controller.enqueue(value)
      },
    })
    // A page too busy to acknowledge: its acks are held back until released.
    const parser = channelParser()
    const held: (() => void)[] = []
    let holding = true
    const post = parser.postMessage.bind(parser)
    parser.postMessage = (message, transfer) => {
      if (message.type === 'ack' && holding) held.push(() => post(message, transfer))
      else post(message, transfer)
    }
    let applied = 0
    const read = readJobStream(
      serve(counted),
      () => (applied++, true),
      () => parser,
      1,
    )
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(applied).toBe(MAX_AHEAD)
    // The parser (ndjson-readablestream) and the framer each hold a line or two of their own.
    expect(pulled).toBeLessThanOrEqual(MAX_AHEAD + 3)
    holding = false
    for (const release of held.splice(0)) release()
    expect(await read).toBe('ended')
    expect(applied).toBe(21)
  })

  it('reads on this thread when the worker fails to start, and stops the broken worker', async () => {
    const request = serve([start, records(0)].map(line))
    let terminated = false
    const broken: ParserHandle = {
      onmessage: null,
      onerror: null,
      postMessage: () =>
        queueMicrotask(() => broken.onerror?.({ message: 'script blocked', preventDefault: () => {} } as ErrorEvent)),
      terminate: () => {
        terminated = true
      },
    }
    const items: ReceivedItem[] = []
    expect(
      await readJobStream(
        request,
        (i) => (items.push(i), true),
        () => broken,
        1,
      ),
    ).toBe('ended')
    expect(items.map((i) => i.kind)).toEqual(['line', 'records'])
    expect(terminated).toBe(true)
  })

  it('fails a pooled read whose workers cannot start like a dropped connection; the next read stays on this thread', async () => {
    let starts = 0
    const brokenWorker = (): ParserHandle => {
      starts++
      const events = new EventTarget()
      const handle: ParserHandle = {
        onmessage: null,
        onerror: null,
        addEventListener: (type, listener, options) => events.addEventListener(type, listener, options),
        removeEventListener: (type, listener) => events.removeEventListener(type, listener),
        postMessage: (message) => {
          if (message.type !== 'feed') return
          queueMicrotask(() => {
            const event = Object.assign(new Event('error', { cancelable: true }), {
              message: 'script blocked',
            }) as ErrorEvent
            handle.onerror?.(event)
            events.dispatchEvent(event)
          })
        },
        terminate: () => {},
      }
      return handle
    }
    const lines = [start, records(0)].map(line)
    await expect(readJobStream(serve(lines), () => true, brokenWorker, 2)).rejects.toThrow(
      'a stream parser failed: script blocked',
    )
    const items: ReceivedItem[] = []
    expect(await readJobStream(serve(lines), (i) => (items.push(i), true), brokenWorker, 2)).toBe('ended')
    expect(items.map((i) => i.kind)).toEqual(['line', 'records'])
    expect(starts).toBe(2)
  })
})
