import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DOMAIN_COLUMNS } from '../../../../src/shared/domains.ts'
import { setLogLevel } from '../../../../src/server/logger.ts'
import { DomainEventsError } from '../../../../src/server/errors/domain-error.ts'
import { streamDomain } from '../../../../src/server/pipeline/events.ts'
import { createMsdAggregator } from '../../../../src/server/pipeline/msd-aggregator.ts'
import type { MesSource } from '../../../../src/server/source/mes-source.ts'
import { fixtureCid, type FixtureRow } from '../../../helpers/fixture-db.ts'
import { fixtureDialects, openFixture, type FixtureSource } from '../../../helpers/fixture-source.ts'

const CIDS = Array.from({ length: 2500 }, (_, i) => fixtureCid(0x10000 + i))
const HEAVY = CIDS.slice(0, 3)
const ts = (minute: number) =>
  `2024-01-01T${String(Math.floor(minute / 60) % 24).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}:00`

const history: FixtureRow[] = CIDS.flatMap((cid, i) => {
  const row = {
    CONTAINERID: cid,
    WORKCENTERNAME: 'TMTT-1',
    EQUIPMENTID: i % 2 ? 'EQ-B' : 'EQ-A',
    EQUIPMENTNAME: i % 2 ? 'EQ-B' : 'EQ-A',
    SPECNAME: 'S',
    TRACKINTIMESTAMP: ts(i % 1440),
  }
  // Each CID's visit appears twice (a partial track-out, then the final one): history keeps one.
  return [
    { ...row, TRACKOUTTIMESTAMP: '2024-02-01T00:00:00', TRACKOUTQTY: 1 },
    { ...row, TRACKOUTTIMESTAMP: '2024-02-02T00:00:00', TRACKOUTQTY: 2 },
  ]
})
const materials: FixtureRow[] = HEAVY.flatMap((cid, c) =>
  Array.from({ length: 4000 }, (_, i) => ({
    CONTAINERID: cid,
    MATERIALPARTNAME: 'P',
    MATERIALLOTNAME: `M-${c}-${i}`,
    TXNDATE: ts(i % 1440),
  })),
)
const jobs: FixtureRow[] = [
  {
    JOBID: 'J-EDGE',
    CONTAINERIDS: [CIDS[999], CIDS[1000], CIDS[2499]].join(','),
    CONTAINERNAMES: 'a,b,c',
    CREATEDATE: ts(1),
  },
  { JOBID: 'J-FIRST', CONTAINERIDS: CIDS[0], CONTAINERNAMES: 'z', CREATEDATE: ts(2) },
]

let fx: FixtureSource

/** Wraps a source to count statements and open iterators, and to fail one statement on request. */
function instrumented(source: MesSource, failOnCall?: number) {
  const state = { calls: 0, open: 0 }
  const wrapped: MesSource = {
    ...source,
    stream: async function* (query, options) {
      const n = ++state.calls
      state.open++
      try {
        if (n === failOnCall) throw new Error('ORA-03113: end-of-file on communication channel')
        yield* source.stream(query, options)
      } finally {
        state.open--
      }
    },
  }
  return { source: wrapped, state }
}

describe.each(await fixtureDialects())('on %s', (dialect) => {
  beforeAll(async () => {
    setLogLevel('error')
    fx = await openFixture(dialect, {
      DW_MES_LOTWIPHISTORY: history,
      DW_MES_LOTMATERIALSHISTORY: materials,
      DW_MES_JOB: jobs,
    })
  })
  afterAll(() => fx.close())

  describe('streamDomain batching', () => {
    it('queries 2,500 CIDs in statements of 1,000 and loses or repeats no row', async () => {
      const { source, state } = instrumented(fx.source)
      const progress: number[] = []
      const seen = new Set<string>()
      let count = 0
      for await (const batch of streamDomain(source, 'history', CIDS, {
        config: fx.config,
        onProgress: (n) => progress.push(n),
      })) {
        for (const row of batch) {
          seen.add(row[0] as string)
          expect(row[7]).toBe('2024-02-02T00:00:00')
          count++
        }
      }
      expect(count).toBe(2500)
      expect(seen.size).toBe(2500)
      expect(state.calls).toBe(3)
      expect(progress).toEqual([1000, 2000, 2500])
      expect(state.open).toBe(0)
    })

    it('fetches 12,000 rows of one statement in batches of at most 5,000', async () => {
      const sizes: number[] = []
      const lots = new Set<string>()
      for await (const batch of streamDomain(fx.source, 'materials', HEAVY, { config: fx.config })) {
        sizes.push(batch.length)
        for (const row of batch) lots.add(row[DOMAIN_COLUMNS.materials.indexOf('MATERIALLOTNAME')] as string)
      }
      expect(sizes.reduce((a, b) => a + b, 0)).toBe(12_000)
      expect(lots.size).toBe(12_000)
      expect(Math.max(...sizes)).toBeLessThanOrEqual(5000)
      expect(sizes.length).toBeGreaterThanOrEqual(3)
    })

    it('finds jobs for all 2,500 CIDs in one scan of the job table', async () => {
      const { source, state } = instrumented(fx.source)
      const progress: number[] = []
      const found: string[] = []
      for await (const batch of streamDomain(source, 'jobs', CIDS, {
        config: fx.config,
        onProgress: (n) => progress.push(n),
      })) {
        for (const row of batch) found.push(`${row[2]}:${row[0]}:${row[1]}`)
      }
      expect(found).toEqual([
        `J-EDGE:${CIDS[999]}:a`,
        `J-EDGE:${CIDS[1000]}:b`,
        `J-EDGE:${CIDS[2499]}:c`,
        `J-FIRST:${CIDS[0]}:z`,
      ])
      expect(state.calls).toBe(1)
      expect(progress).toEqual([2500])
    })

    it('feeds the MSD aggregator distinct lots per machine across batches', async () => {
      const agg = createMsdAggregator('backward')
      for await (const batch of streamDomain(fx.source, 'upstream_history', CIDS, { config: fx.config }))
        agg.add('upstream_history', batch)
      const r = agg.result()
      expect(r.lots).toEqual({ upstream_history: 2500 })
      expect(r.machines).toEqual([
        { workcenter_group: '測試', equipment_name: 'EQ-A', lots: 1250 },
        { workcenter_group: '測試', equipment_name: 'EQ-B', lots: 1250 },
      ])
    })
  })

  describe('streamDomain failures and closing', () => {
    it('surfaces a failed batch as the domain’s error after the rows already sent', async () => {
      const { source, state } = instrumented(fx.source, 2)
      let received = 0
      const err = await (async () => {
        for await (const batch of streamDomain(source, 'history', CIDS, { config: fx.config })) received += batch.length
      })().catch((e: unknown) => e)
      expect(received).toBe(1000)
      expect(err).toBeInstanceOf(DomainEventsError)
      expect(err).toMatchObject({ domain: 'history', code: 'EVENTS_FAILED' })
      expect((err as Error).message).toBe(
        'history query failed: the database reported an error; the server log has the details',
      )
      expect(state.open).toBe(0)
    })

    it('turns a real SQL error of the database into the domain failing, its text kept for the server log', async () => {
      const broken = await openFixture(dialect, {})
      await broken.exec('DROP TABLE DW_MES_HOLDRELEASEHISTORY')
      try {
        const err = await (async () => {
          for await (const _ of streamDomain(broken.source, 'holds', CIDS.slice(0, 5), { config: broken.config }))
            void _
        })().catch((e: unknown) => e)
        expect(err).toBeInstanceOf(DomainEventsError)
        expect((err as DomainEventsError).domain).toBe('holds')
        expect((err as Error).message).toBe(
          'holds query failed: the database reported an error; the server log has the details',
        )
      } finally {
        await broken.close()
      }
    })

    it('closes the source iterator when the consumer stops early', async () => {
      const { source, state } = instrumented(fx.source)
      for await (const batch of streamDomain(source, 'materials', HEAVY, { config: fx.config })) {
        expect(batch.length).toBeGreaterThan(0)
        break
      }
      expect(state.calls).toBe(1)
      expect(state.open).toBe(0)
    })

    it('rejects with the abort reason and closes the iterator when the caller aborts', async () => {
      const { source, state } = instrumented(fx.source)
      const ac = new AbortController()
      const reason = new Error('client disconnected')
      const err = await (async () => {
        for await (const _ of streamDomain(source, 'materials', HEAVY, { config: fx.config, signal: ac.signal }))
          ac.abort(reason)
      })().catch((e: unknown) => e)
      expect(err).toBe(reason)
      expect(state.open).toBe(0)
    })

    it('yields nothing and runs no statement for an empty CID list', async () => {
      const { source, state } = instrumented(fx.source)
      const batches = []
      for await (const b of streamDomain(source, 'history', [], { config: fx.config })) batches.push(b)
      expect(batches).toEqual([])
      expect(state.calls).toBe(0)
    })
  })
})
