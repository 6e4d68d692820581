// @vitest-environment happy-dom
import { http, HttpResponse } from 'msw'
import { describe, expect, it, vi } from 'vitest'
import { shallowRef } from 'vue'
import { useLineageData, type LineageData } from '../../../../src/client/components/lineage/useLineageData.ts'
import type { ForwardLineageResponse, JobLineage } from '../../../../src/shared/responses.ts'
import { ndjsonResponse } from '../../support/ndjson-body.ts'
import { JOB_ID, jobStatus, typicalLines } from '../../support/trace-fixtures.ts'
import { startTrace, useMswServer } from '../../support/trace-harness.ts'

const { server, requests } = useMswServer()

const SEED = '48810380001cba48'
const family: ForwardLineageResponse = {
  stage: 'lineage',
  direction: 'forward',
  names: { [SEED]: 'GA23100020-A00-011' },
  nodes: [{ container_id: SEED, container_name: 'GA23100020-A00-011', node_type: 'LOT', mfg_order: null, depth: 0 }],
  edges: [],
  total_nodes: 1,
  serials: {},
  lineage_query_id: 'lq-1',
  roots: [SEED],
  children_map: {},
  leaf_serials: {},
}

/** A finished job whose status counts 3 containers, and its kept lineage answered by `lineage`. */
function jobWithLineage(lineage: () => Response): void {
  server.use(
    http.get('*/api/trace/job/:id', () => HttpResponse.json(jobStatus('finished', 'done'))),
    http.get('*/api/trace/job/:id/stream', () => ndjsonResponse(typicalLines())),
    http.get('*/api/trace/job/:id/lineage', lineage),
  )
}

/** Reopens the job (as a link does) and opens the lineage view when `open` is true. */
async function reopened(open = true): Promise<LineageData> {
  const { trace, scope, client } = startTrace()
  const active = shallowRef(open)
  const data = scope.run(() => useLineageData(trace, active, { queryClient: client }))!
  trace.attach(JOB_ID)
  await vi.waitFor(() => expect(trace.runStatus.value).toBe('finished'))
  return data
}

describe('useLineageData for a job', () => {
  it('draws the lineage the job kept, without resolving the seeds and tracing the lineage again', async () => {
    const kept: JobLineage = { total_nodes: 1, seed_count: 1, max_nodes: 10_000, seed_ids: [SEED], lineage: family }
    jobWithLineage(() => HttpResponse.json(kept))
    const data = await reopened()
    await vi.waitFor(() => expect(data.availability.value).toBe('ready'))
    expect(data.lineage.value).toEqual(family)
    expect(data.seedIds.value).toEqual([SEED])
    expect(data.familySize.value).toBe(1)
    expect(requests).toContain(`GET /api/trace/job/${JOB_ID}/lineage`)
    expect(requests.filter((r) => r.includes('seed-resolve') || r.startsWith('POST /api/trace/lineage'))).toEqual([])
  })

  it('shows the counts of a family the job kept too big to draw', async () => {
    const kept: JobLineage = { total_nodes: 25_000, seed_count: 40, max_nodes: 10_000, seed_ids: [], lineage: null }
    jobWithLineage(() => HttpResponse.json(kept))
    const data = await reopened()
    await vi.waitFor(() => expect(data.availability.value).toBe('too_big'))
    expect(data.familySize.value).toBe(25_000)
    expect(data.lineage.value).toBeNull()
  })

  it('says the job kept none when the server answers LINEAGE_NOT_AVAILABLE', async () => {
    const none = {
      success: false,
      error: { code: 'LINEAGE_NOT_AVAILABLE', message: 'no lineage' },
      meta: { timestamp: '2026-03-15T08:00:00Z' },
    }
    jobWithLineage(() => HttpResponse.json(none, { status: 404 }))
    const data = await reopened()
    await vi.waitFor(() => expect(data.availability.value).toBe('not_kept'))
    expect(data.error.value).toBeNull()
    expect(data.familySize.value).toBe(3)
  })

  it('reads nothing while the lineage view is closed', async () => {
    jobWithLineage(() =>
      HttpResponse.json({ error: { code: 'INTERNAL_ERROR', message: 'not asked' } }, { status: 500 }),
    )
    const data = await reopened(false)
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(requests.filter((r) => r.endsWith('/lineage'))).toEqual([])
    expect(data.availability.value).toBe('loading')
  })
})
