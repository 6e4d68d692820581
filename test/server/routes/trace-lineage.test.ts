import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { setLogLevel } from '../../../src/server/logger.ts'
import { lineageQueryId } from '../../../src/server/pipeline/lineage.ts'
import { expectError, openHarness, readJson, type Harness } from './route-harness.ts'
import { slowSource } from './source-wrappers.ts'
import { ASSY, LOT_A, LOT_B, ROWS, WAFER } from './trace-fixture.ts'

const PATH = '/api/trace/lineage'
let h: Harness

beforeAll(() => {
  setLogLevel('silent')
  h = openHarness(ROWS)
})
afterAll(() => h.close())

describe('POST /api/trace/lineage', () => {
  it('traces descendants forward with roots, children, leaf serials and the query id', async () => {
    const res = await h.post(PATH, { profile: 'query_tool', container_ids: [LOT_A, LOT_A] })
    expect(res.status).toBe(200)
    expect(await readJson(res)).toEqual({
      stage: 'lineage',
      direction: 'forward',
      names: { [LOT_A]: 'GA1-A01', [LOT_B]: 'GA1-A02', [ASSY]: 'ASSY-1' },
      nodes: [
        { container_id: LOT_A, container_name: 'GA1-A01', node_type: 'GA', mfg_order: 'GA1', depth: 0 },
        { container_id: LOT_B, container_name: 'GA1-A02', node_type: 'GA', mfg_order: 'GA1', depth: 1 },
        { container_id: ASSY, container_name: 'ASSY-1', node_type: 'GA', mfg_order: 'GA9', depth: 2 },
      ],
      edges: [
        { from: LOT_A, to: LOT_B, type: 'split_from' },
        { from: LOT_B, to: ASSY, type: 'merge_source' },
      ],
      total_nodes: 3,
      serials: { [ASSY]: ['SN1'] },
      roots: [LOT_A],
      children_map: { [LOT_A]: [LOT_B], [LOT_B]: [ASSY] },
      leaf_serials: { [ASSY]: ['SN1'] },
      lineage_query_id: lineageQueryId('query_tool', 'forward', [LOT_A]),
    })
  })

  it('traces ancestors backward with parent map, seed roots and ancestor count', async () => {
    const res = await h.post(PATH, { profile: 'query_tool_reverse', container_ids: [ASSY] })
    expect(res.status).toBe(200)
    const body = (await readJson(res)) as Record<string, unknown>
    expect(Object.keys(body).sort()).toEqual(
      [
        'stage',
        'direction',
        'names',
        'nodes',
        'edges',
        'total_nodes',
        'serials',
        'ancestors',
        'parent_map',
        'seed_roots',
        'total_ancestor_count',
        'lineage_query_id',
      ].sort(),
    )
    expect(body).toMatchObject({
      stage: 'lineage',
      direction: 'backward',
      ancestors: { [ASSY]: [WAFER, LOT_A, LOT_B] },
      parent_map: { [LOT_A]: [WAFER], [LOT_B]: [WAFER, LOT_A], [ASSY]: [WAFER, LOT_B] },
      seed_roots: { [ASSY]: WAFER },
      serials: { [ASSY]: ['SN1'] },
      total_nodes: 4,
      total_ancestor_count: 3,
      lineage_query_id: lineageQueryId('query_tool_reverse', 'backward', [ASSY]),
    })
  })

  it('follows an MSD request forward when its params ask for it', async () => {
    const res = await h.post(PATH, {
      profile: 'mid_section_defect',
      container_ids: [LOT_A],
      params: { direction: 'forward' },
    })
    expect(await readJson(res)).toMatchObject({ direction: 'forward', total_nodes: 3 })
  })

  it.each([
    ['missing', {}],
    ['empty', { container_ids: [] }],
    ['not CIDs', { container_ids: ['GA1-A01'] }],
  ])('refuses container_ids that are %s with 400 INVALID_PARAMS naming the field', async (_what, ids) => {
    const error = await expectError(await h.post(PATH, { profile: 'query_tool', ...ids }), 400, 'INVALID_PARAMS')
    expect(String(error.message)).toMatch(/^container_ids/)
  })

  it('refuses an unknown profile with 400 INVALID_PROFILE', async () => {
    await expectError(await h.post(PATH, { profile: 'reverse', container_ids: [LOT_A] }), 400, 'INVALID_PROFILE')
  })
})

describe('lineage failures', () => {
  it('answers 500 LINEAGE_FAILED without the driver message or a stack when a genealogy query fails', async () => {
    const broken = openHarness(ROWS, {}, { dropTables: ['DW_MES_PJ_COMBINEDASSYLOTS'] })
    try {
      const error = await expectError(
        await broken.post(PATH, { profile: 'query_tool', container_ids: [LOT_A] }),
        500,
        'LINEAGE_FAILED',
      )
      expect(error.message).not.toMatch(/no such table|DW_MES/i)
    } finally {
      await broken.close()
    }
  })

  it('answers 504 LINEAGE_TIMEOUT when the genealogy takes longer than LINEAGE_TIMEOUT_SECONDS', async () => {
    const slow = openHarness(ROWS, { LINEAGE_TIMEOUT_SECONDS: '1' }, { wrapSource: (s) => slowSource(s, 400) })
    try {
      const started = Date.now()
      const error = await expectError(
        await slow.post(PATH, { profile: 'query_tool', container_ids: [LOT_A] }),
        504,
        'LINEAGE_TIMEOUT',
      )
      expect(error.message).toContain('1 s')
      expect(Date.now() - started).toBeLessThan(10_000)
    } finally {
      await slow.close()
    }
  })
})
