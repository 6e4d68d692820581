import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { JobStage } from '../../../src/shared/responses.ts'
import { jobCids } from '../../../src/server/jobs/job-cids.ts'
import type { JobInput } from '../../../src/server/jobs/job-service.ts'
import { setLogLevel } from '../../../src/server/logger.ts'
import { lineageContainerIds, lineageQueryId, traceLineage } from '../../../src/server/pipeline/lineage.ts'
import { fixtureCid, type FixtureRow } from '../../helpers/fixture-db.ts'
import { fixtureDialects, openFixture, type FixtureSource } from '../../helpers/fixture-source.ts'

// Wafer lot WAF1 → lot A (wafer origin) → A1, A2 (splits); A1 and B merge into M, whose serial number is SN-M.
const W = fixtureCid(0x10)
const A = fixtureCid(0x11)
const A1 = fixtureCid(0x12)
const A2 = fixtureCid(0x13)
const B = fixtureCid(0x14)
const M = fixtureCid(0x15)
const lot = (cid: string, name: string, extra: FixtureRow = {}): FixtureRow => ({
  CONTAINERID: cid,
  CONTAINERNAME: name,
  OBJECTTYPE: 'LOT',
  ...extra,
})
const ROWS = {
  DW_MES_CONTAINER: [
    lot(W, 'WAF1', { FIRSTNAME: 'WAF1' }),
    lot(A, 'GA1-01', { FIRSTNAME: 'WAF1', MFGORDERNAME: 'GA1' }),
    lot(A1, 'GA1-01.1', { FIRSTNAME: 'WAF1', MFGORDERNAME: 'GA1', SPLITFROMID: A }),
    lot(A2, 'GA1-01.2', { FIRSTNAME: 'WAF1', MFGORDERNAME: 'GA1', SPLITFROMID: A }),
    lot(B, 'LOT-B'),
    lot(M, 'ASSY-M', { MFGORDERNAME: 'GA9' }),
  ],
  DW_MES_PJ_COMBINEDASSYLOTS: [
    { CONTAINERID: A1, CONTAINERNAME: 'GA1-01.1', LOTID: M, FINISHEDNAME: 'SN-M' },
    { CONTAINERID: B, CONTAINERNAME: 'LOT-B', LOTID: M, FINISHEDNAME: 'SN-M' },
  ],
  // M and A2 tracked in at the test station on a machine in March; B had no machine there.
  DW_MES_LOTWIPHISTORY: [
    { CONTAINERID: M, WORKCENTERNAME: 'TMTT-1', EQUIPMENTID: 'EQ1', TRACKINTIMESTAMP: '2024-03-01T08:00:00' },
    { CONTAINERID: A2, WORKCENTERNAME: 'TMTT-2', EQUIPMENTID: 'EQ2', TRACKINTIMESTAMP: '2024-03-02T08:00:00' },
    { CONTAINERID: B, WORKCENTERNAME: 'TMTT-1', EQUIPMENTID: null, TRACKINTIMESTAMP: '2024-03-01T09:00:00' },
  ],
}

let fx: FixtureSource

/** jobCids with the stages it announced. */
async function run(
  profile: 'query_tool' | 'query_tool_reverse' | 'mid_section_defect',
  input: JobInput,
): Promise<{ cids: string[]; direction: string; stages: JobStage[] }> {
  const stages: JobStage[] = []
  const out = await jobCids(profile, input, {
    source: fx.source,
    config: fx.config,
    signal: new AbortController().signal,
    onStage: (s) => stages.push(s),
    onSeeds: async () => undefined,
  })
  return { ...out, stages }
}

describe.each(await fixtureDialects())('job CIDs on %s', (dialect) => {
  beforeAll(async () => {
    setLogLevel('error')
    fx = await openFixture(dialect, ROWS)
  })
  afterAll(() => fx.close())

  it('keeps the direction the route decided for an MSD container list (forward stays forward)', async () => {
    const job = await run('mid_section_defect', { kind: 'container_ids', container_ids: [M, A2], direction: 'forward' })
    expect(job).toEqual({ cids: [M, A2], direction: 'forward', stages: [] })
  })

  it('gives a lineage_ref job the CIDs of the full lineage of its seeds, in the same order', async () => {
    const seeds = [A2, W]
    const full = await traceLineage(
      fx.source,
      { profile: 'query_tool', seeds, direction: 'forward' },
      { config: fx.config },
    )
    const job = await run('query_tool', {
      kind: 'lineage_ref',
      lineage_query_id: lineageQueryId('query_tool', 'forward', seeds),
      seed_container_ids: seeds,
      direction: 'forward',
    })
    expect(job.cids).toEqual(lineageContainerIds(full))
    expect(job.cids).toEqual([W, A, A1, A2, M])
    expect(job.direction).toBe('forward')
    expect(job.stages).toEqual(['lineage'])
  })

  it('runs a whole-trace job through seed resolution and the backward lineage', async () => {
    const job = await run('query_tool_reverse', {
      kind: 'trace',
      seed: { profile: 'query_tool_reverse', params: { input_type: 'serial_number', values: ['SN-M'] } },
      direction: 'backward',
    })
    const full = await traceLineage(
      fx.source,
      { profile: 'query_tool_reverse', seeds: [M], direction: 'backward' },
      { config: fx.config },
    )
    expect(job.cids).toEqual(lineageContainerIds(full))
    expect(job.cids).toEqual([W, A, A1, B, M])
    expect(job.direction).toBe('backward')
    expect(job.stages).toEqual(['seed-resolve', 'lineage'])
  })

  it('runs an MSD date-range job from the station’s seed ids through the backward lineage', async () => {
    const params = {
      mode: 'date_range',
      station: '測試',
      start_date: '2024-03-01',
      end_date: '2024-03-31',
      direction: 'backward',
    } as const
    const job = await run('mid_section_defect', {
      kind: 'trace',
      seed: { profile: 'mid_section_defect', params },
      direction: 'backward',
    })
    const full = await traceLineage(
      fx.source,
      { profile: 'mid_section_defect', seeds: [M, A2], direction: 'backward' },
      { config: fx.config },
    )
    expect(job.cids).toEqual(lineageContainerIds(full))
    expect(job.cids).toEqual([W, A, A1, A2, B, M].sort())
    expect(job.stages).toEqual(['seed-resolve', 'lineage'])
  })
})
