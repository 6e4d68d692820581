import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { SeedParams } from '../../../src/shared/schemas.ts'
import type { SeedResolveResponse } from '../../../src/shared/responses.ts'
import type { Config } from '../../../src/server/config.ts'
import { DomainError } from '../../../src/server/errors/domain-error.ts'
import { DOMAIN_STATUS } from '../../../src/server/http/domain-status.ts'
import { setLogLevel } from '../../../src/server/logger.ts'
import type { MesSource } from '../../../src/server/source/mes-source.ts'
import { resolveSeeds } from '../../../src/server/pipeline/seed-resolve.ts'
import { fixtureCid as cid } from '../../helpers/fixture-db.ts'
import { fixtureDialects, openFixture, type FixtureSource } from '../../helpers/fixture-source.ts'

const lot = (n: number, name: string, extra: Record<string, string | null> = {}) => ({
  CONTAINERID: cid(n),
  CONTAINERNAME: name,
  OBJECTTYPE: 'LOT',
  ...extra,
})

const ROWS = {
  DW_MES_CONTAINER: [
    lot(1, 'WAF001', { FIRSTNAME: 'WAF001' }),
    lot(2, 'GA2310001-A01', { FIRSTNAME: 'WAF001', MFGORDERNAME: 'GA2310001' }),
    lot(3, 'GA2310001-A02', { FIRSTNAME: 'WAF001', MFGORDERNAME: 'GA2310001' }),
    lot(4, 'GA2310002-A01', { FIRSTNAME: 'WAF002', MFGORDERNAME: 'ga2310002' }),
    lot(5, 'GA_X_1', { FIRSTNAME: 'WAF003', MFGORDERNAME: 'GC2310005' }),
    lot(6, 'GAAXB1', { FIRSTNAME: 'WAF003', MFGORDERNAME: 'GC2310006' }),
    lot(7, 'GD2310007-R01', { MFGORDERNAME: 'GD2310007' }),
    lot(8, 'gd2310008-r01', { MFGORDERNAME: 'GD2310008' }),
    { CONTAINERID: cid(9), CONTAINERNAME: 'MAT-1', OBJECTTYPE: 'MATERIAL', FIRSTNAME: 'WAF001' },
    lot(10, 'ASSY-001', { MFGORDERNAME: 'GA2310009' }),
    lot(11, 'ASSY-002', { MFGORDERNAME: 'GA2310009' }),
    lot(12, 'SN-DUP'),
  ],
  DW_MES_PJ_COMBINEDASSYLOTS: [
    { CONTAINERID: cid(2), CONTAINERNAME: 'GA2310001-A01', LOTID: cid(10), FINISHEDNAME: 'SN0001' },
    { CONTAINERID: cid(3), CONTAINERNAME: 'GA2310001-A02', LOTID: cid(10), FINISHEDNAME: 'SN0001' },
    { CONTAINERID: cid(4), CONTAINERNAME: 'GA2310002-A01', LOTID: cid(11), FINISHEDNAME: 'SN-DUP' },
  ],
}

let fx: FixtureSource

function run(input: SeedParams, overrides: Partial<Config> = {}): Promise<SeedResolveResponse> {
  return resolveSeeds(fx.source, input, { config: { ...fx.config, ...overrides } })
}

const qt = (input_type: 'lot_id' | 'wafer_lot' | 'work_order', values: string[]): SeedParams => ({
  profile: 'query_tool',
  params: { input_type, values },
})
const rev = (input_type: 'serial_number' | 'gd_lot_id' | 'gd_work_order', values: string[]): SeedParams => ({
  profile: 'query_tool_reverse',
  params: { input_type, values },
})
const ids = (r: SeedResolveResponse) => r.seeds.map((s) => s.container_id)

async function refusal(p: Promise<unknown>): Promise<DomainError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(err).toBeInstanceOf(DomainError)
  return err as DomainError
}

describe.each(await fixtureDialects())('on %s', (dialect) => {
  beforeAll(async () => {
    setLogLevel('error')
    fx = await openFixture(dialect, ROWS)
  })
  afterAll(() => fx.close())

  describe('resolveSeeds for the query tool', () => {
    it('resolves exact lot ids and reports tokens that matched nothing', async () => {
      const r = await run(qt('lot_id', ['GA2310001-A01', 'NOPE-1', 'NOPE-2']))
      expect(r).toEqual({
        stage: 'seed-resolve',
        seeds: [{ container_id: cid(2), container_name: 'GA2310001-A01', lot_id: 'GA2310001-A01' }],
        seed_count: 1,
        not_found: ['NOPE-1', 'NOPE-2'],
        expansion_info: [],
      })
    })

    it('expands a * wildcard and reports what the pattern matched', async () => {
      const r = await run(qt('lot_id', ['GA2310001*']))
      expect(ids(r)).toEqual([cid(2), cid(3)])
      expect(r.expansion_info).toEqual([
        { pattern: 'GA2310001*', matched: 2, names: ['GA2310001-A01', 'GA2310001-A02'], truncated: false },
      ])
    })

    it('treats % as a wildcard', async () => {
      const r = await run(qt('lot_id', ['GA231000%-A01']))
      expect(ids(r)).toEqual([cid(2), cid(4)])
    })

    it('matches an underscore literally, in exact tokens and in patterns', async () => {
      expect(ids(await run(qt('lot_id', ['GA_X_1'])))).toEqual([cid(5)])
      const r = await run(qt('lot_id', ['GA_X*']))
      expect(ids(r)).toEqual([cid(5)])
      expect(r.expansion_info[0].names).toEqual(['GA_X_1'])
    })

    it('reports a pattern that matched nothing as not found', async () => {
      const r = await run(qt('lot_id', ['ZZ*', 'GA2310001-A01']))
      expect(r.not_found).toEqual(['ZZ*'])
      expect(r.expansion_info).toEqual([])
      expect(ids(r)).toEqual([cid(2)])
    })

    it('de-duplicates seeds and sorts them by name, whatever the token order', async () => {
      const r = await run(qt('lot_id', ['GA2310001-A02', 'GA2310001-A01', 'GA2310001*', 'GA2310001-A02']))
      expect(ids(r)).toEqual([cid(2), cid(3)])
      expect(r.seed_count).toBe(2)
      expect(r.not_found).toEqual([])
    })

    it('caps a pattern at SEED_PATTERN_MAX_MATCHES names and says it was truncated', async () => {
      const r = await run(qt('lot_id', ['GA*']), { SEED_PATTERN_MAX_MATCHES: 2 })
      expect(r.expansion_info).toEqual([
        { pattern: 'GA*', matched: 2, names: ['GA2310001-A01', 'GA2310001-A02'], truncated: true },
      ])
      expect(ids(r)).toEqual([cid(2), cid(3)])
    })

    it('batches exact tokens by TRACE_IN_BATCH_SIZE without losing any', async () => {
      const names = ['GA2310001-A01', 'GA2310001-A02', 'GA2310002-A01', 'GA_X_1', 'GAAXB1', 'NOPE']
      const r = await run(qt('lot_id', names), { TRACE_IN_BATCH_SIZE: 2 })
      expect(ids(r)).toEqual([cid(2), cid(3), cid(4), cid(6), cid(5)])
      expect(r.not_found).toEqual(['NOPE'])
    })

    it('resolves a wafer lot to its LOT containers only', async () => {
      const r = await run(qt('wafer_lot', ['WAF001', 'WAF0*3']))
      // Sorted by name in code-unit order: GA2… < GAAXB1 < GA_X_1 < WAF001.
      expect(ids(r)).toEqual([cid(2), cid(3), cid(6), cid(5), cid(1)])
      expect(ids(r)).not.toContain(cid(9))
      expect(r.expansion_info).toEqual([{ pattern: 'WAF0*3', matched: 1, names: ['WAF003'], truncated: false }])
    })

    it('resolves GA and GC work orders case-insensitively', async () => {
      const r = await run(qt('work_order', ['GA2310002', 'gc2310005']))
      expect(ids(r)).toEqual([cid(4), cid(5)])
      expect(r.not_found).toEqual([])
    })

    it('never lets a work-order pattern reach GD orders', async () => {
      const r = await run(qt('work_order', ['G*']))
      expect(ids(r)).not.toContain(cid(7))
      expect(ids(r)).not.toContain(cid(8))
      expect(ids(r)).toContain(cid(2))
    })

    it('refuses a GD order on work_order with a hint to the reverse type', async () => {
      const err = await refusal(run(qt('work_order', ['GA2310001', 'gd2310007'])))
      expect(DOMAIN_STATUS[err.code]).toBe(400)
      expect(err.code).toBe('INVALID_PARAMS')
      expect(err.message).toContain('gd_work_order')
      expect(err.message).toContain('query_tool_reverse')
      expect(err.details).toEqual({ tokens: ['gd2310007'] })
    })
  })

  describe('resolveSeeds for the reverse query tool', () => {
    it('resolves a serial number to its assembled lot first, saying where it matched', async () => {
      const r = await run(rev('serial_number', ['SN0001']))
      expect(r.seeds).toEqual([
        { container_id: cid(10), container_name: 'ASSY-001', lot_id: 'ASSY-001', source: 'FINISHEDNAME' },
      ])
    })

    it('prefers FINISHEDNAME over CONTAINERNAME, then falls back to CONTAINERNAME and FIRSTNAME', async () => {
      const r = await run(rev('serial_number', ['SN-DUP', 'GA2310001-A01', 'WAF002', 'NONE']))
      expect(r.seeds).toEqual([
        { container_id: cid(11), container_name: 'ASSY-002', lot_id: 'ASSY-002', source: 'FINISHEDNAME' },
        { container_id: cid(2), container_name: 'GA2310001-A01', lot_id: 'GA2310001-A01', source: 'CONTAINERNAME' },
        { container_id: cid(4), container_name: 'GA2310002-A01', lot_id: 'GA2310002-A01', source: 'FIRSTNAME' },
      ])
      expect(ids(r)).not.toContain(cid(12))
      expect(r.not_found).toEqual(['NONE'])
    })

    it('expands serial-number patterns in the source that matched them', async () => {
      const r = await run(rev('serial_number', ['SN000*']))
      expect(r.expansion_info).toEqual([{ pattern: 'SN000*', matched: 1, names: ['SN0001'], truncated: false }])
      expect(r.seeds[0].source).toBe('FINISHEDNAME')
    })

    it('resolves GD lot ids case-insensitively, exact and by pattern', async () => {
      expect(ids(await run(rev('gd_lot_id', ['gd2310007-r01'])))).toEqual([cid(7)])
      expect(new Set(ids(await run(rev('gd_lot_id', ['GD*']))))).toEqual(new Set([cid(7), cid(8)]))
    })

    it('refuses gd_lot_id values that do not start with GD', async () => {
      const err = await refusal(run(rev('gd_lot_id', ['GA2310001-A01', '*R01'])))
      expect(DOMAIN_STATUS[err.code]).toBe(400)
      expect(err.details).toEqual({ tokens: ['GA2310001-A01', '*R01'] })
      expect(err.message).toContain('lot_id')
    })

    it('resolves GD work orders and refuses other orders', async () => {
      expect(ids(await run(rev('gd_work_order', ['gd2310008'])))).toEqual([cid(8)])
      const err = await refusal(run(rev('gd_work_order', ['GA2310001'])))
      expect(err.code).toBe('INVALID_PARAMS')
    })
  })

  describe('resolveSeeds failures', () => {
    it('turns a database failure into 500 SEED_RESOLVE_FAILED without a stack or the driver message', async () => {
      const broken: MesSource = {
        ...fx.source,
        stream: async function* () {
          throw new Error('disk I/O error')
        },
      }
      const err = await refusal(resolveSeeds(broken, qt('lot_id', ['X']), { config: fx.config }))
      expect(DOMAIN_STATUS[err.code]).toBe(500)
      expect(err.code).toBe('SEED_RESOLVE_FAILED')
      expect(err.message).toBe('seed resolution failed: the database reported an error; the server log has the details')
    })

    it('rejects with the abort reason when the caller aborts', async () => {
      const ac = new AbortController()
      const reason = new Error('client went away')
      ac.abort(reason)
      await expect(
        resolveSeeds(fx.source, qt('lot_id', ['GA*']), { config: fx.config, signal: ac.signal }),
      ).rejects.toBe(reason)
    })
  })
})
