import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { SeedParams } from '../../../src/shared/schemas.ts'
import type { SeedResolveResponse } from '../../../src/shared/responses.ts'
import { DomainError } from '../../../src/server/errors/domain-error.ts'
import { DOMAIN_STATUS } from '../../../src/server/http/domain-status.ts'
import { setLogLevel } from '../../../src/server/logger.ts'
import { resolveSeeds } from '../../../src/server/pipeline/seed-resolve.ts'
import { resolveSeedIds } from '../../../src/server/pipeline/seed-resolve-ids.ts'
import { fixtureCid as cid } from '../../helpers/fixture-db.ts'
import { fixtureDialects, openFixture, type FixtureSource } from '../../helpers/fixture-source.ts'

const [A, B, C, D, E, F, G] = [1, 2, 3, 4, 5, 6, 7].map(cid)

const visit = (id: string, wc: string, eq: string | null, trackIn: string | null, trackOut: string | null = null) => ({
  CONTAINERID: id,
  WORKCENTERNAME: wc,
  EQUIPMENTID: eq,
  EQUIPMENTNAME: eq ? `${eq}-NAME` : null,
  TRACKINTIMESTAMP: trackIn,
  TRACKOUTTIMESTAMP: trackOut,
})

const reject = (id: string, wc: string, txn: string, reason: string | null, qty: Record<string, number>) => ({
  CONTAINERID: id,
  WORKCENTERNAME: wc,
  TXNDATE: txn,
  LOSSREASONNAME: reason,
  ...qty,
})

const ROWS = {
  DW_MES_CONTAINER: [
    { CONTAINERID: A, CONTAINERNAME: 'LOT-A', OBJECTTYPE: 'LOT' },
    { CONTAINERID: B, CONTAINERNAME: 'LOT-B', OBJECTTYPE: 'LOT' },
    { CONTAINERID: C, CONTAINERNAME: 'LOT-C', OBJECTTYPE: 'LOT' },
    { CONTAINERID: D, CONTAINERNAME: 'LOT-D', OBJECTTYPE: 'LOT' },
    { CONTAINERID: E, CONTAINERNAME: 'LOT-E', OBJECTTYPE: 'LOT' },
    { CONTAINERID: F, CONTAINERNAME: 'LOT-F', OBJECTTYPE: 'LOT' },
    { CONTAINERID: G, CONTAINERNAME: 'LOT-G', OBJECTTYPE: 'LOT' },
  ],
  DW_MES_LOTWIPHISTORY: [
    visit(A, 'TMTT-1', 'EQ1', '2024-03-01T08:00:00', '2024-03-01T09:00:00'),
    visit(A, '測試站', 'EQ2', '2024-03-02T23:59:59'),
    visit(A, 'TMTT-1', 'EQ3', '2024-03-03T00:00:00'),
    visit(B, 'TMTT-1', 'EQ1', '2024-03-03T00:00:00'),
    visit(B, 'TMTT-1', 'EQ1', '2024-02-29T23:59:59'),
    visit(C, 'TMTT-1', 'EQ4', '2024-03-01T00:00:00'),
    visit(C, 'TMTT-1', null, '2024-03-01T05:00:00'),
    visit(D, 'TMTT-1', null, '2024-03-01T05:00:00'),
    visit(E, '元件切割-1', 'SAW1', '2024-03-01T10:00:00'),
    visit(F, '切割-A', 'DIC1', '2024-03-01T10:00:00'),
    visit(G, 'PKG_SAW-2', 'SAW2', '2024-03-01T11:00:00'),
    visit(E, 'TMTT-2', 'EQ5', '2024-03-02T10:00:00'),
  ],
  DW_MES_LOTREJECTHISTORY: [
    reject(A, 'TMTT-1', '2024-03-02T10:00:00', 'R1', { REJECTQTY: 2, DEFECTQTY: 3 }),
    reject(A, 'TMTT-1', '2024-03-02T11:00:00', 'R1', { STANDBYQTY: 1 }),
    reject(A, 'TMTT-1', '2024-03-02T12:00:00', null, { QTYTOPROCESS: 4 }),
    reject(A, 'TMTT-1', '2024-03-02T12:30:00', '', { INPROCESSQTY: 1, PROCESSEDQTY: 1 }),
    reject(A, 'TMTT-1', '2024-03-03T00:00:00', 'R1', { REJECTQTY: 100 }),
    reject(A, '切割-A', '2024-03-02T10:00:00', 'R1', { REJECTQTY: 100 }),
    reject(C, 'TMTT-1', '2024-03-01T00:00:00', 'R2', { REJECTQTY: 5 }),
    reject(B, 'TMTT-1', '2024-03-01T10:00:00', 'R1', { REJECTQTY: 7 }),
  ],
}

let fx: FixtureSource

const range = (extra: Record<string, unknown> = {}): SeedParams =>
  ({
    profile: 'mid_section_defect',
    params: {
      mode: 'date_range',
      station: '測試',
      start_date: '2024-03-01',
      end_date: '2024-03-02',
      direction: 'backward',
      ...extra,
    },
  }) as SeedParams
const run = (p: SeedParams): Promise<SeedResolveResponse> => resolveSeeds(fx.source, p, { config: fx.config })

describe.each(await fixtureDialects())('on %s', (dialect) => {
  beforeAll(async () => {
    setLogLevel('error')
    fx = await openFixture(dialect, ROWS)
  })
  afterAll(() => fx.close())

  describe('MSD date-range seeds', () => {
    it('takes lots whose track-in at the station is in [start, end + 1 day) on a machine', async () => {
      const r = await run(range())
      expect(r.seeds.map((s) => s.container_name)).toEqual(['LOT-A', 'LOT-C', 'LOT-E'])
      expect(r.not_found).toEqual([])
    })

    it('keeps each lot’s latest track-in inside the range', async () => {
      const r = await run(range())
      const a = r.seeds.find((s) => s.container_id === A)
      expect(a?.detection).toMatchObject({
        TRACKINTIMESTAMP: '2024-03-02T23:59:59',
        EQUIPMENTID: 'EQ2',
        EQUIPMENTNAME: 'EQ2-NAME',
      })
    })

    it('drops track-ins without equipment', async () => {
      const r = await run(range())
      expect(r.seeds.find((s) => s.container_id === C)?.detection?.EQUIPMENTID).toBe('EQ4')
      expect(r.seeds.map((s) => s.container_id)).not.toContain(D)
    })

    it('sums the six reject quantities per loss reason at the station within the range', async () => {
      const r = await run(range())
      expect(r.seeds.find((s) => s.container_id === A)?.detection?.rejects).toEqual({ R1: 6, '(未填寫)': 6 })
      expect(r.seeds.find((s) => s.container_id === C)?.detection?.rejects).toEqual({ R2: 5 })
      expect(r.seeds.find((s) => s.container_id === E)?.detection?.rejects).toEqual({})
    })

    it('keeps only lots with the requested loss reasons', async () => {
      const r = await run(range({ loss_reasons: ['R2'] }))
      expect(r.seeds.map((s) => s.container_id)).toEqual([C])
    })

    it('keeps singulation out of the dicing station and dicing out of singulation', async () => {
      const dicing = await run(range({ station: '切割' }))
      expect(dicing.seeds.map((s) => s.container_id)).toEqual([F])
      const singulation = await run(range({ station: '元件切割' }))
      expect(singulation.seeds.map((s) => s.container_id)).toEqual([E, G])
    })

    it('refuses a station that is no workcenter group', async () => {
      const err = await run(range({ station: 'NOWHERE' })).catch((e: unknown) => e)
      expect(err).toBeInstanceOf(DomainError)
      expect(DOMAIN_STATUS[(err as DomainError).code]).toBe(400)
      expect((err as DomainError).code).toBe('INVALID_PARAMS')
    })
  })

  describe('MSD date-range seed ids (jobs)', () => {
    const idsOf = (r: SeedResolveResponse): string[] => r.seeds.map((s) => s.container_id).sort()

    it.each([
      ['the whole station', {}],
      ['one loss reason', { loss_reasons: ['R2'] }],
      ['a reason that lots outside the range have too', { loss_reasons: ['R1'] }],
      ['the unfilled reason, NULL and blank summed', { loss_reasons: ['(未填寫)'] }],
      ['another station', { station: '元件切割' }],
    ])('finds the lots of the full seed list for %s', async (_, extra) => {
      const full = await run(range(extra))
      const ids = await resolveSeedIds(fx.source, range(extra), { config: fx.config })
      expect(ids.ids).toEqual(idsOf(full))
      expect(ids.seed_count).toBe(full.seed_count)
      expect(ids).toMatchObject({ not_found: [], expansion_info: [] })
    })

    it('finds A, C and E at the test station, and only A for R1 (B’s R1 lot tracked in outside the range)', async () => {
      expect((await resolveSeedIds(fx.source, range(), { config: fx.config })).ids).toEqual([A, C, E].sort())
      expect((await resolveSeedIds(fx.source, range({ loss_reasons: ['R1'] }), { config: fx.config })).ids).toEqual([A])
    })

    it('refuses a station that is no workcenter group', async () => {
      const err = await resolveSeedIds(fx.source, range({ station: 'NOWHERE' }), { config: fx.config }).catch(
        (e: unknown) => e,
      )
      expect(DOMAIN_STATUS[(err as DomainError).code]).toBe(400)
      expect((err as DomainError).code).toBe('INVALID_PARAMS')
    })

    it('gives container mode the ids and not-found tokens of the full resolution', async () => {
      const params = {
        mode: 'container',
        input_type: 'lot_id',
        values: ['LOT-C', 'LOT-A', 'LOT-Z'],
        direction: 'backward',
        station: '測試',
      }
      const ids = await resolveSeedIds(fx.source, { profile: 'mid_section_defect', params } as SeedParams, {
        config: fx.config,
      })
      expect(ids).toMatchObject({ ids: [A, C].sort(), seed_count: 2, not_found: ['LOT-Z'] })
    })
  })

  describe('MSD container mode', () => {
    it('resolves containers like the query tool does', async () => {
      const r = await run({
        profile: 'mid_section_defect',
        params: {
          mode: 'container',
          input_type: 'lot_id',
          values: ['LOT-C', 'LOT-A', 'LOT-Z', 'LOT-?*'],
          direction: 'backward',
          station: '測試',
        },
      })
      expect(r.seeds.map((s) => s.container_id)).toEqual([A, C])
      expect(r.not_found).toEqual(['LOT-Z', 'LOT-?*'])
      expect(r.seeds[0].detection).toBeUndefined()
    })
  })
})
