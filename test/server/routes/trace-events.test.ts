import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { DOMAIN_COLUMNS } from '../../../src/shared/domains.ts'
import type { EventsResponse } from '../../../src/shared/responses.ts'
import { log, setLogLevel } from '../../../src/server/logger.ts'
import { lineageQueryId } from '../../../src/server/pipeline/lineage.ts'
import { expectError, openHarness, readJson, type Harness } from './route-harness.ts'
import { failingSource, slowSource } from './source-wrappers.ts'
import { ASSY, LOT_A, LOT_B, ROWS, WAFER } from './trace-fixture.ts'

const PATH = '/api/trace/events'
const FAMILY = [LOT_A, LOT_B, ASSY]
let h: Harness

beforeAll(() => {
  setLogLevel('silent')
  h = openHarness(ROWS)
})
afterAll(() => h.close())

const events = async (res: Response): Promise<EventsResponse> => {
  expect(res.status).toBe(200)
  return (await readJson(res)) as EventsResponse
}

describe('POST /api/trace/events', () => {
  it('streams every default domain of the query tool with columns, rows and counts', async () => {
    const res = await h.post(`${PATH}?shape=compact`, { profile: 'query_tool', container_ids: FAMILY })
    expect(res.headers.get('content-type')).toMatch(/^application\/json/)
    const body = await events(res)
    expect(Object.keys(body)).toEqual(['stage', 'results', 'aggregation'])
    expect(body.stage).toBe('events')
    expect(body.aggregation).toBeNull()
    expect(Object.keys(body.results)).toEqual(['history', 'materials', 'rejects', 'holds', 'jobs'])
    for (const [domain, result] of Object.entries(body.results)) {
      expect(result.columns).toEqual(DOMAIN_COLUMNS[domain as keyof typeof DOMAIN_COLUMNS])
      expect(result.count).toBe(result.data.length)
    }
    expect(Object.fromEntries(Object.entries(body.results).map(([d, r]) => [d, r.count]))).toEqual({
      history: 5,
      materials: 1,
      rejects: 1,
      holds: 1,
      jobs: 2,
    })
    expect(body.results.history?.data[0]).toEqual([
      LOT_A,
      'GA1-A01',
      '切割',
      'eq-DS-01',
      'DS-01',
      '切割-SPEC',
      '2026-01-01T08:00:00',
      '2026-01-01T09:30:00',
      1000,
      990,
      null,
      null,
      'DFN1006-2',
      'BOP-1',
      'W1',
    ])
    expect(body.results.holds?.data).toEqual([
      [
        LOT_A,
        'GA1-A01',
        '切割',
        '2026-01-01T12:00:00',
        'E1',
        null,
        'QC',
        null,
        '2026-01-01T14:00:00',
        'E2',
        null,
        null,
        'RELEASED',
        2,
      ],
    ])
  })

  it('answers rows as objects keyed by column unless the caller asks for the compact shape', async () => {
    const request = { profile: 'query_tool', container_ids: FAMILY, domains: ['holds'] }
    const objects = await events(await h.post(PATH, request))
    const holds = objects.results.holds as unknown as {
      columns: string[]
      data: Record<string, unknown>[]
      count: number
    }
    expect(holds.columns).toEqual(DOMAIN_COLUMNS.holds)
    expect(holds.count).toBe(1)
    expect(holds.data[0]).toMatchObject({
      CONTAINERID: LOT_A,
      CONTAINERNAME: 'GA1-A01',
      HOLD_STATUS: 'RELEASED',
      HOLD_HOURS: 2,
    })
    const byAccept = await events(
      await h.post(PATH, request, { headers: { accept: 'application/json; shape=compact' } }),
    )
    expect(byAccept.results.holds?.data[0]).toEqual(DOMAIN_COLUMNS.holds.map((c) => holds.data[0][c]))
    expect(await events(await h.post(`${PATH}?shape=compact`, request))).toEqual(byAccept)
    await expectError(await h.post(`${PATH}?shape=table`, request), 400, 'INVALID_PARAMS')
  })

  it('fetches only the requested domains, de-duplicated, in request order', async () => {
    const body = await events(
      await h.post(PATH, { profile: 'query_tool', container_ids: FAMILY, domains: ['rejects', 'history', 'rejects'] }),
    )
    expect(Object.keys(body.results)).toEqual(['rejects', 'history'])
  })

  it('includes the MSD aggregation for a defect investigation', async () => {
    const body = await events(
      await h.post(PATH, {
        profile: 'mid_section_defect',
        container_ids: [LOT_A, LOT_B],
        params: { direction: 'forward' },
      }),
    )
    expect(Object.keys(body.results)).toEqual(['upstream_history', 'downstream_rejects'])
    expect(body.aggregation).toMatchObject({
      direction: 'forward',
      lots: { upstream_history: 2, downstream_rejects: 1 },
      reject_reasons: [{ workcenter_group: '測試', loss_reason: 'OPEN', lots: 1, reject_qty: 7 }],
    })
  })

  it('takes a lineage reference plus its seed ids instead of the CID list', async () => {
    const byIds = await events(
      await h.post(PATH, { profile: 'query_tool_reverse', container_ids: [ASSY, WAFER, LOT_A, LOT_B].sort() }),
    )
    const byRef = await events(
      await h.post(PATH, {
        profile: 'query_tool_reverse',
        lineage_query_id: lineageQueryId('query_tool_reverse', 'backward', [ASSY]),
        seed_container_ids: [ASSY],
      }),
    )
    expect(byRef).toEqual(byIds)
    expect(byRef.results.history?.count).toBe(5)
  })

  it('answers 409 LINEAGE_MISMATCH when the reference belongs to other seeds or another direction', async () => {
    for (const id of [
      lineageQueryId('query_tool_reverse', 'backward', [LOT_A]),
      lineageQueryId('query_tool', 'forward', [ASSY]),
    ]) {
      const error = await expectError(
        await h.post(PATH, { profile: 'query_tool_reverse', lineage_query_id: id, seed_container_ids: [ASSY] }),
        409,
        'LINEAGE_MISMATCH',
      )
      expect(error.expected_lineage_query_id).toBe(lineageQueryId('query_tool_reverse', 'backward', [ASSY]))
    }
  })

  it.each([
    ['no container_ids', {}, /^container_ids/],
    ['empty container_ids', { container_ids: [] }, /^container_ids/],
    ['a reference without seed ids', { lineage_query_id: `lin-${'0'.repeat(32)}` }, /^container_ids/],
    ['empty domains', { container_ids: FAMILY, domains: [] }, /^domains/],
    ['unknown domains', { container_ids: FAMILY, domains: ['history', 'a', 'b'] }, /^unsupported domains: a,b$/],
  ])('refuses %s with 400 INVALID_PARAMS', async (_what, fields, message) => {
    const error = await expectError(await h.post(PATH, { profile: 'query_tool', ...fields }), 400, 'INVALID_PARAMS')
    expect(error.message).toMatch(message)
  })

  it('refuses an unknown profile with 400 INVALID_PROFILE', async () => {
    await expectError(await h.post(PATH, { profile: 'msd', container_ids: FAMILY }), 400, 'INVALID_PROFILE')
  })
})

describe('events admission without a job system', () => {
  let limited: Harness
  beforeAll(() => {
    limited = openHarness(ROWS, { TRACE_EVENTS_CID_LIMIT: '2' })
  })
  afterAll(() => limited.close())

  it('refuses more CIDs than TRACE_EVENTS_CID_LIMIT with 413 CID_LIMIT_EXCEEDED, cid_count and limit', async () => {
    const error = await expectError(
      await limited.post(PATH, { profile: 'query_tool', container_ids: [...FAMILY, LOT_A] }),
      413,
      'CID_LIMIT_EXCEEDED',
    )
    expect(error).toMatchObject({ cid_count: 3, limit: 2 })
  })

  it('counts the lineage of a reference, not its seeds, against the limit', async () => {
    const error = await expectError(
      await limited.post(PATH, {
        profile: 'query_tool',
        lineage_query_id: lineageQueryId('query_tool', 'forward', [LOT_A]),
        seed_container_ids: [LOT_A],
      }),
      413,
      'CID_LIMIT_EXCEEDED',
    )
    expect(error).toMatchObject({ cid_count: 3, limit: 2 })
  })

  it('lets a defect investigation over the limit through and logs a warning', async () => {
    const warn = vi.spyOn(log, 'warn')
    try {
      const body = await events(await limited.post(PATH, { profile: 'mid_section_defect', container_ids: FAMILY }))
      expect(body.results.upstream_history?.count).toBe(5)
      expect(warn).toHaveBeenCalledWith(
        expect.stringMatching(/CID limit/),
        expect.objectContaining({ cid_count: 3, limit: 2 }),
      )
    } finally {
      warn.mockRestore()
    }
  })
})

describe('events failures', () => {
  it('finishes the body validly and lists a domain whose table fails as EVENTS_PARTIAL_FAILURE', async () => {
    const broken = openHarness(ROWS, {}, { dropTables: ['DW_MES_HOLDRELEASEHISTORY'] })
    try {
      const body = await events(await broken.post(PATH, { profile: 'query_tool', container_ids: FAMILY }))
      expect(body.code).toBe('EVENTS_PARTIAL_FAILURE')
      expect(body.failed_domains).toEqual([
        { domain: 'holds', code: 'EVENTS_FAILED', message: expect.not.stringMatching(/no such table|DW_MES/i) },
      ])
      expect(body.results.holds).toEqual({ columns: DOMAIN_COLUMNS.holds, data: [], count: 0 })
      expect(body.results.jobs?.count).toBe(2)
      expect(JSON.stringify(body)).not.toMatch(/\n\s+at |\.ts:\d+/)
    } finally {
      await broken.close()
    }
  })

  it('keeps the rows a domain sent before it failed part-way, and its count matches them', async () => {
    const env = { TRACE_IN_BATCH_SIZE: '1', DB_SLOW_FETCHMANY_SIZE: '1' }
    const broken = openHarness(ROWS, env, { wrapSource: (s) => failingSource(s, 'DW_MES_LOTWIPHISTORY', 2) })
    try {
      const body = await events(
        await broken.post(PATH, { profile: 'query_tool', container_ids: FAMILY, domains: ['history', 'materials'] }),
      )
      expect(body.results.history?.count).toBe(2)
      expect(body.results.history?.data).toHaveLength(2)
      expect(body.results.materials?.count).toBe(1)
      expect(body.failed_domains).toEqual([
        { domain: 'history', code: 'EVENTS_FAILED', message: expect.not.stringContaining('disk I/O error') },
      ])
    } finally {
      await broken.close()
    }
  })

  it('answers 504 LINEAGE_TIMEOUT and 500 LINEAGE_FAILED before streaming when a reference cannot be traced', async () => {
    const ref = {
      profile: 'query_tool',
      lineage_query_id: lineageQueryId('query_tool', 'forward', [LOT_A]),
      seed_container_ids: [LOT_A],
    }
    const slow = openHarness(ROWS, { LINEAGE_TIMEOUT_SECONDS: '1' }, { wrapSource: (s) => slowSource(s, 400) })
    const broken = openHarness(ROWS, {}, { dropTables: ['DW_MES_PJ_COMBINEDASSYLOTS'] })
    try {
      await expectError(await slow.post(PATH, ref), 504, 'LINEAGE_TIMEOUT')
      await expectError(await broken.post(PATH, ref), 500, 'LINEAGE_FAILED')
    } finally {
      await slow.close()
      await broken.close()
    }
  })
})
