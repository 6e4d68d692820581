import { http, HttpResponse } from 'msw'
import { afterEach, describe, expect, it } from 'vitest'
import type { ReceivedItem } from '../../../src/client/lib/columnar-records.ts'
import { readJobStream, type ParserHandle, type StreamRequest } from '../../../src/client/lib/job-stream-reader.ts'
import { MAX_AHEAD, serveStreamParser, type ParserScope } from '../../../src/client/lib/stream-parser.ts'
import { ApiRequestError, MalformedLineError } from '../../../src/client/lib/trace-errors.ts'
import { bodyOf, line, type BodyPart } from '../support/ndjson-body.ts'
import { useMswServer } from '../support/trace-harness.ts'

const { server } = useMswServer()
const PATH = '/api/trace/job/j1/stream'

/** Serves `body` as the job's stream; returns the request for readJobStream. */
function serve(body: readonly BodyPart[] | ReadableStream<Uint8Array>, keepOpen = false): StreamRequest {
  server.use(
    http.get(`*${PATH}`, () => new Response(Array.isArray(body) ? bodyOf(body, keepOpen) : (body as ReadableStream<Uint8Array>), { headers: { 'content-type': 'application/x-ndjson' } })),
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
const records = (batch: number) => ({ type: 'records', domain: 'history', batch, count: 2, rows: [[`L${batch}`, batch], [`L${batch}`, null]] })

describe('readJobStream through a parser port', () => {
  it('delivers every line in order, records encoded by column with their strings', async () => {
    const items: ReceivedItem[] = []
    const lines = [start, ...Array.from({ length: 12 }, (_, b) => records(b)), { type: 'complete', total_records: 24, counts: { history: 24 } }]
    const parser = channelParser()
    const end = await readJobStream(serve(lines.map(line)), (item) => (items.push(item), true), () => parser)
    expect(end).toBe('ended')
    expect(parser.terminated).toBe(true)
    expect(items.map((i) => [i.kind, i.lineNumber])).toEqual(lines.map((l, n) => [l.type === 'records' ? 'records' : 'line', n + 1]))
    const last = items[12]
    if (last.kind !== 'records') throw new Error('expected records')
    const [names, qty] = last.records.columns
    expect(names.kind === 'text' && [...names.ids].map((id) => names.strings[id])).toEqual(['L11', 'L11'])
    expect(qty.kind === 'number' && [...qty.values]).toEqual([11, Number.NaN])
  })

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
    const read = readJobStream(serve(counted), () => (applied++, true), () => parser)
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(applied).toBe(MAX_AHEAD)
    // The parser (ndjson-readablestream) and the framer each hold a line or two of their own.
    expect(pulled).toBeLessThanOrEqual(MAX_AHEAD + 3)
    holding = false
    for (const release of held.splice(0)) release()
    expect(await read).toBe('ended')
    expect(applied).toBe(21)
  })

  it('stops when the page says so, and stops the parser', async () => {
    const parser = channelParser()
    let seen = 0
    const end = await readJobStream(serve([start, records(0), records(1), records(2)].map(line), true), () => ++seen < 2, () => parser)
    expect(end).toBe('stopped')
    expect(seen).toBe(2)
    expect(parser.terminated).toBe(true)
  })

  it('rejects with a MalformedLineError (its line number and text) for a line that does not parse', async () => {
    const parser = channelParser()
    const seen: number[] = []
    const read = readJobStream(serve([line(start), line(records(0)), '{"type":"records",\n']), (i) => (seen.push(i.lineNumber), true), () => parser)
    const err = await read.catch((e: unknown) => e)
    expect(err).toBeInstanceOf(MalformedLineError)
    expect((err as MalformedLineError).lineNumber).toBe(3)
    expect((err as MalformedLineError).excerpt).toBe('{"type":"records",')
    expect(seen).toEqual([1, 2])
  })

  it('rejects with the connection error after the lines that arrived before it', async () => {
    const parser = channelParser()
    const seen: number[] = []
    const read = readJobStream(serve([line(start), line(records(0)), { drop: 'socket hang up', afterMs: 20 }]), (i) => (seen.push(i.lineNumber), true), () => parser)
    await expect(read).rejects.toThrow('socket hang up')
    expect(seen).toEqual([1, 2])
  })

  it('rejects with what the page threw, and stops the parser', async () => {
    const parser = channelParser()
    const read = readJobStream(serve([start, records(0)].map(line)), () => {
      throw new Error('bad outcome')
    }, () => parser)
    await expect(read).rejects.toThrow('bad outcome')
    expect(parser.terminated).toBe(true)
  })

  it('rejects with the server\'s error as an ApiRequestError (status, code, message)', async () => {
    server.use(http.get(`*${PATH}`, () => HttpResponse.json({ success: false, error: { code: 'JOB_NOT_FOUND', message: 'no job j1' } }, { status: 404 })))
    const parser = channelParser()
    const err = await readJobStream({ path: PATH, api: { baseUrl: 'http://localhost/' }, signal: new AbortController().signal }, () => true, () => parser).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(ApiRequestError)
    expect(err).toMatchObject({ status: 404, code: 'JOB_NOT_FOUND', message: 'no job j1' })
  })

  it('rejects with the abort reason when the page aborts, and stops the parser', async () => {
    const request = serve([start, records(0)].map(line), true)
    const controller = new AbortController()
    const parser = channelParser()
    let seen = 0
    const read = readJobStream({ ...request, signal: controller.signal }, () => (++seen, true), () => parser)
    await expect.poll(() => seen).toBe(2)
    controller.abort(new DOMException('cancelled', 'AbortError'))
    await expect(read).rejects.toThrow('cancelled')
    expect(parser.terminated).toBe(true)
  })

  it('reads on this thread when the worker fails to start, and stops the broken worker', async () => {
    const request = serve([start, records(0)].map(line))
    let terminated = false
    const broken: ParserHandle = {
      onmessage: null,
      onerror: null,
      postMessage: () => queueMicrotask(() => broken.onerror?.({ message: 'script blocked', preventDefault: () => {} } as ErrorEvent)),
      terminate: () => {
        terminated = true
      },
    }
    const items: ReceivedItem[] = []
    expect(await readJobStream(request, (i) => (items.push(i), true), () => broken)).toBe('ended')
    expect(items.map((i) => i.kind)).toEqual(['line', 'records'])
    expect(terminated).toBe(true)
  })
})
