import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { EventsResponse } from '../../../src/shared/responses.ts'
import { setLogLevel } from '../../../src/server/logger.ts'
import { streamDomain } from '../../../src/server/pipeline/events.ts'
import { eventually, openHarness, type Harness } from './route-harness.ts'
import { countingSource } from './source-wrappers.ts'
import { bulkRows } from './trace-fixture.ts'

const PATH = '/api/trace/events'
const LOTS = 120
const PER_LOT = 20
const { rows, cids } = bulkRows(LOTS, PER_LOT)
let h: Harness
let counted: ReturnType<typeof countingSource>

beforeAll(() => {
  setLogLevel('silent')
  // Small batches on both axes: CIDs per statement and rows per fetch, so the body is written in many pieces.
  h = openHarness(
    rows,
    { TRACE_IN_BATCH_SIZE: '7', DB_SLOW_FETCHMANY_SIZE: '13' },
    {
      wrapSource: (s) => (counted = countingSource(s)).source,
    },
  )
})
afterAll(() => h.close())

describe('the events body as a stream', () => {
  it('is written in many pieces that join into one valid document with every row in order', async () => {
    const res = await h.post(`${PATH}?shape=compact`, {
      profile: 'query_tool',
      container_ids: cids,
      domains: ['history'],
    })
    expect(res.status).toBe(200)
    const reader = res.body!.getReader()
    const decoder = new TextDecoder()
    let text = ''
    let pieces = 0
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      pieces += 1
      text += decoder.decode(value, { stream: true })
    }
    const body = JSON.parse(text) as EventsResponse
    expect(body.results.history?.count).toBe(LOTS * PER_LOT)
    expect(pieces).toBeGreaterThan(LOTS / 7)

    const expected: unknown[][] = []
    for await (const batch of streamDomain(h.source, 'history', cids, { config: h.config })) expected.push(...batch)
    expect(body.results.history?.data).toEqual(expected)
  })

  it('stops reading and closes the cursor when the client disconnects', async () => {
    const before = counted.batches()
    const res = await h.post(PATH, {
      profile: 'query_tool',
      container_ids: cids,
      domains: ['history', 'materials', 'rejects'],
    })
    const reader = res.body!.getReader()
    const first = await reader.read()
    expect(first.done).toBe(false)
    await reader.cancel()

    await eventually(() => h.source.stats().busy === 0 && h.source.stats().openCursors === 0)
    const afterCancel = counted.batches() - before
    await new Promise((r) => setTimeout(r, 300))
    expect(counted.batches() - before).toBe(afterCancel)
    // A full history read is ceil(20 rows × 7 lots / 13) = 11 fetches for each of 18 CID batches.
    expect(afterCancel).toBeLessThan(20)
  })
})
