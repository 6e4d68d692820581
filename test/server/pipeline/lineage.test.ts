import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { BackwardLineageResponse, ForwardLineageResponse, LineageResponse } from '../../../src/shared/responses.ts'
import type { Config } from '../../../src/server/config.ts'
import { DomainError } from '../../../src/server/errors/domain-error.ts'
import { DOMAIN_STATUS } from '../../../src/server/http/domain-status.ts'
import { setLogLevel } from '../../../src/server/logger.ts'
import {
  lineageContainerIds,
  lineageQueryId,
  traceLineage,
  traceLineageIds,
} from '../../../src/server/pipeline/lineage.ts'
import type { MesSource } from '../../../src/server/source/mes-source.ts'
import { fixtureCid, type FixtureRow } from '../../helpers/fixture-db.ts'
import { fixtureDialects, openFixture, type FixtureSource } from '../../helpers/fixture-source.ts'

// Named nodes; CIDs are assigned so that sorting by CID is sorting by this list's order.
const NAMES = [
  'W',
  'A',
  'A1',
  'A2',
  'B',
  'C',
  'M',
  'M2',
  'G0',
  'GX',
  'GD1',
  'GD2',
  'N1',
  'C1',
  'C2',
  'C3',
  'RS',
  'RA',
  'RG',
] as const
const id = Object.fromEntries(NAMES.map((n, i) => [n, fixtureCid(0x100 + i)])) as Record<(typeof NAMES)[number], string>
const chain = Array.from({ length: 26 }, (_, i) => fixtureCid(0x1000 + i))

const container = (cid: string, name: string, extra: FixtureRow = {}): FixtureRow => ({
  CONTAINERID: cid,
  CONTAINERNAME: name,
  OBJECTTYPE: 'LOT',
  ...extra,
})

const ROWS = {
  DW_MES_CONTAINER: [
    // Family 1: wafer W → A (wafer origin) → A1, A2 (splits); A1 + B merge into M; M + C merge into M2 (not in the table).
    container(id.W, 'WAF100', { FIRSTNAME: 'WAF100' }),
    container(id.A, 'GA100-01', { FIRSTNAME: 'WAF100', MFGORDERNAME: 'GA100' }),
    container(id.A1, 'GA100-01.1', { FIRSTNAME: 'WAF100', MFGORDERNAME: 'GA100', SPLITFROMID: id.A }),
    container(id.A2, 'GA100-01.2', { FIRSTNAME: 'WAF100', MFGORDERNAME: 'GA100', SPLITFROMID: id.A }),
    container(id.B, 'LOT-B', { FIRSTNAME: 'WAF-NONE' }),
    container(id.C, 'GC200-01', { MFGORDERNAME: 'GC200' }),
    container(id.M, 'ASSY-M', { MFGORDERNAME: 'GA900' }),
    // Family 2: GD1 reworks G0 (ORIGINALCONTAINERID) and was split from GX; GD2 split from GD1; N1 (not GD) names G0 as original.
    container(id.G0, 'GA300-01', { MFGORDERNAME: 'GA300' }),
    container(id.GX, 'GA300-02', { MFGORDERNAME: 'GA300' }),
    container(id.GD1, 'GD300-R1', { MFGORDERNAME: 'GD300', ORIGINALCONTAINERID: id.G0, SPLITFROMID: id.GX }),
    container(id.GD2, 'GD300-R2', { MFGORDERNAME: 'GD300', SPLITFROMID: id.GD1 }),
    container(id.N1, 'GA300-03', { MFGORDERNAME: 'GA300', ORIGINALCONTAINERID: id.G0 }),
    // Family 3: a split cycle C1 ↔ C2, with C3 split from C2.
    container(id.C1, 'CYC-1', { SPLITFROMID: id.C2 }),
    container(id.C2, 'CYC-2', { SPLITFROMID: id.C1 }),
    container(id.C3, 'CYC-3', { SPLITFROMID: id.C2 }),
    // Family 5: RS was assembled into RA (serial SN-RA), which was later reworked into the GD lot RG.
    container(id.RS, 'GC500-A00-001', { MFGORDERNAME: 'GC500' }),
    container(id.RA, 'GC500-C00-001', { MFGORDERNAME: 'GC500' }),
    container(id.RG, 'GD500-R00-001', { MFGORDERNAME: 'GD500', ORIGINALCONTAINERID: id.RA }),
    // Family 4: a 25-level split chain.
    ...chain.map((cid, i) => container(cid, `CHAIN-${i}`, { SPLITFROMID: i > 0 ? chain[i - 1] : null })),
  ],
  DW_MES_PJ_COMBINEDASSYLOTS: [
    { CONTAINERID: id.A1, CONTAINERNAME: 'GA100-01.1', LOTID: id.M, FINISHEDNAME: 'SN-M' },
    { CONTAINERID: id.B, CONTAINERNAME: 'LOT-B', LOTID: id.M, FINISHEDNAME: 'SN-M' },
    { CONTAINERID: id.M, CONTAINERNAME: 'ASSY-M', LOTID: id.M2, FINISHEDNAME: 'SN-M2' },
    { CONTAINERID: id.C, CONTAINERNAME: 'GC200-01', LOTID: id.M2, FINISHEDNAME: 'SN-M2' },
    { CONTAINERID: id.RS, CONTAINERNAME: 'GC500-A00-001', LOTID: id.RA, FINISHEDNAME: 'SN-RA' },
  ],
}

let fx: FixtureSource

const backward = async (seeds: string[], config: Partial<Config> = {}, source: MesSource = fx.source) =>
  (await traceLineage(
    source,
    { profile: 'query_tool_reverse', seeds, direction: 'backward' },
    { config: { ...fx.config, ...config } },
  )) as BackwardLineageResponse
const forward = async (seeds: string[], config: Partial<Config> = {}) =>
  (await traceLineage(
    fx.source,
    { profile: 'query_tool', seeds, direction: 'forward' },
    { config: { ...fx.config, ...config } },
  )) as ForwardLineageResponse

const edgeSet = (l: LineageResponse) => new Set(l.edges.map((e) => `${e.from}>${e.to}:${e.type}`))
const nodeIds = (l: LineageResponse) => l.nodes.map((n) => n.container_id).sort()
const typeOf = (l: LineageResponse, cid: string) => l.nodes.find((n) => n.container_id === cid)?.node_type

describe.each(await fixtureDialects())('on %s', (dialect) => {
  beforeAll(async () => {
    setLogLevel('error')
    fx = await openFixture(dialect, ROWS)
  })
  afterAll(() => fx.close())

  describe('backward lineage', () => {
    it('follows merges of merges, splits and wafer origins up to the wafer', async () => {
      const l = await backward([id.M2])
      expect(l.direction).toBe('backward')
      expect(l.ancestors[id.M2]).toEqual([id.W, id.A, id.A1, id.B, id.C, id.M])
      expect(edgeSet(l)).toEqual(
        new Set([
          `${id.M}>${id.M2}:merge_source`,
          `${id.C}>${id.M2}:merge_source`,
          `${id.A1}>${id.M}:merge_source`,
          `${id.B}>${id.M}:merge_source`,
          `${id.A}>${id.A1}:split_from`,
          `${id.W}>${id.A1}:wafer_origin`,
          `${id.W}>${id.A}:wafer_origin`,
        ]),
      )
      expect(l.parent_map[id.M]).toEqual([id.A1, id.B])
      expect(l.total_nodes).toBe(7)
      expect(l.total_ancestor_count).toBe(6)
    })

    it('types nodes by the first matching rule', async () => {
      const l = await backward([id.M2])
      expect(typeOf(l, id.W)).toBe('WAFER')
      expect(typeOf(l, id.A)).toBe('GA')
      expect(typeOf(l, id.C)).toBe('GC')
      expect(typeOf(l, id.B)).toBe('LOT')
      expect(typeOf(l, id.M2)).toBe('UNKNOWN')
      expect(l.names[id.M2]).toBe(id.M2)
      expect(l.names[id.A1]).toBe('GA100-01.1')
      expect(l.nodes.find((n) => n.container_id === id.A)).toEqual({
        container_id: id.A,
        container_name: 'GA100-01',
        node_type: 'GA',
        mfg_order: 'GA100',
        depth: 3,
      })
    })

    it('roots a seed at its farthest ancestor without parents', async () => {
      const l = await backward([id.M2, id.A2])
      // A and W are both 3 levels above M2, but only W has no parent.
      expect(l.seed_roots).toEqual({ [id.M2]: id.W, [id.A2]: id.W })
    })

    it('follows GD rework sources: ORIGINALCONTAINERID, else SPLITFROMID', async () => {
      const l = await backward([id.GD2])
      expect(edgeSet(l)).toEqual(
        new Set([
          `${id.GD1}>${id.GD2}:gd_rework_source`,
          `${id.G0}>${id.GD1}:gd_rework_source`,
          `${id.GX}>${id.GD1}:split_from`,
        ]),
      )
      expect(typeOf(l, id.GD1)).toBe('GD')
      expect(typeOf(l, id.GD2)).toBe('GD')
      expect(l.seed_roots[id.GD2]).toBe(id.G0)
    })

    it('stops at a cycle instead of looping', async () => {
      const l = await backward([id.C3])
      expect(nodeIds(l)).toEqual([id.C1, id.C2, id.C3])
      expect(edgeSet(l)).toEqual(
        new Set([`${id.C2}>${id.C3}:split_from`, `${id.C1}>${id.C2}:split_from`, `${id.C2}>${id.C1}:split_from`]),
      )
      // No ancestor is parentless inside a cycle: the farthest one is the root.
      expect(l.seed_roots[id.C3]).toBe(id.C1)
    })

    it('limits a split chain to LINEAGE_MAX_DEPTH levels', async () => {
      const l = await backward([chain[25]])
      expect(l.total_nodes).toBe(21)
      expect(nodeIds(l)).toEqual(chain.slice(5))
      expect(Math.max(...l.nodes.map((n) => n.depth))).toBe(20)
      expect(l.seed_roots[chain[25]]).toBe(chain[5])
    })
  })

  describe('forward lineage', () => {
    it('follows wafer-origin children, splits and merges downstream to the serial numbers', async () => {
      const l = await forward([id.W])
      expect(l.direction).toBe('forward')
      expect(nodeIds(l)).toEqual([id.W, id.A, id.A1, id.A2, id.M, id.M2])
      expect(l.children_map[id.W]).toEqual([id.A, id.A1, id.A2])
      expect(l.children_map[id.A]).toEqual([id.A1, id.A2])
      expect(l.children_map[id.A1]).toEqual([id.M])
      expect(l.children_map[id.M]).toEqual([id.M2])
      expect(l.roots).toEqual([id.W])
      expect(l.leaf_serials).toEqual({ [id.M2]: ['SN-M2'] })
      expect(l.serials).toEqual({ [id.M]: ['SN-M'], [id.M2]: ['SN-M2'] })
    })

    it('keeps the serial of an assembly lot that was reworked into a GD lot, on the assembly lot', async () => {
      const l = await forward([id.RS])
      expect(nodeIds(l)).toEqual([id.RS, id.RA, id.RG])
      expect(l.leaf_serials).toEqual({})
      expect(l.serials).toEqual({ [id.RA]: ['SN-RA'] })
    })

    it('lists the serials of every ancestor in a backward trace too', async () => {
      const l = await backward([id.RG])
      expect(l.serials).toEqual({ [id.RA]: ['SN-RA'] })
    })

    it('reaches a GD rework lot from its original container but not a non-GD lot that names it', async () => {
      const l = await forward([id.G0])
      expect(nodeIds(l)).toEqual([id.G0, id.GD1, id.GD2])
      expect(edgeSet(l)).toEqual(
        new Set([`${id.G0}>${id.GD1}:gd_rework_source`, `${id.GD1}>${id.GD2}:gd_rework_source`]),
      )
    })

    it('roots seeds that descend from other seeds under the topmost one', async () => {
      const l = await forward([id.A1, id.A])
      expect(l.roots).toEqual([id.A])
    })

    it('still gives a root when every seed sits in a cycle', async () => {
      const l = await forward([id.C2, id.C1])
      expect(nodeIds(l)).toEqual([id.C1, id.C2, id.C3])
      expect(l.roots).toEqual([id.C1])
    })

    it('limits a split chain to LINEAGE_MAX_DEPTH levels', async () => {
      const l = await forward([chain[0]])
      expect(nodeIds(l)).toEqual(chain.slice(0, 21))
      expect(l.leaf_serials).toEqual({})
    })
  })

  describe('lineage determinism', () => {
    it('gives the same result for any seed order, duplication and batch size', async () => {
      const a = await backward([id.M2, id.GD2, id.C3, id.A2])
      const b = await backward([id.A2, id.C3, id.A2, id.GD2, id.M2], { TRACE_IN_BATCH_SIZE: 1 })
      expect(b).toEqual(a)
      expect(JSON.stringify(b)).toBe(JSON.stringify(a))
    })

    it('derives lineage_query_id from profile, direction and the sorted unique seeds', async () => {
      const idA = lineageQueryId('query_tool', 'forward', [id.A, id.B, id.A])
      expect(idA).toMatch(/^lin-[0-9a-f]{32}$/)
      expect(lineageQueryId('query_tool', 'forward', [id.B, id.A])).toBe(idA)
      expect(lineageQueryId('query_tool', 'backward', [id.A, id.B])).not.toBe(idA)
      expect(lineageQueryId('mid_section_defect', 'forward', [id.A, id.B])).not.toBe(idA)
      expect(lineageQueryId('query_tool', 'forward', [id.A])).not.toBe(idA)
      const l = await forward([id.A2, id.W, id.W])
      expect(l.lineage_query_id).toBe(lineageQueryId('query_tool', 'forward', [id.W, id.A2]))
    })

    it('lists every CID of the family once, sorted', async () => {
      const l = await backward([id.M2])
      expect(lineageContainerIds(l)).toEqual([id.W, id.A, id.A1, id.B, id.C, id.M, id.M2])
    })
  })

  describe('lineage ids without the full response', () => {
    const seedSets: [string, string[]][] = [
      ['a merge of merges', [id.M2]],
      ['several families at once', [id.M2, id.GD2, id.C3, id.A2, id.N1]],
      ['a split cycle', [id.C1, id.C2]],
      ['a chain past the depth limit', [chain[25], chain[0]]],
      ['a wafer lot', [id.W, id.G0]],
      ['a CID missing from the container table', [id.M2, 'ffffffffffffffff']],
    ]

    it.each(seedSets)(
      'lists the same CIDs as the full lineage for %s, both ways and at any batch size',
      async (_what, seeds) => {
        for (const [profile, direction] of [
          ['query_tool_reverse', 'backward'],
          ['query_tool', 'forward'],
        ] as const) {
          for (const config of [{}, { TRACE_IN_BATCH_SIZE: 1 }, { LINEAGE_MAX_DEPTH: 2 }]) {
            const opts = { config: { ...fx.config, ...config } }
            const full = lineageContainerIds(await traceLineage(fx.source, { profile, seeds, direction }, opts))
            const ids = await traceLineageIds(fx.source, { profile, seeds, direction }, opts)
            expect(ids, `${direction} ${JSON.stringify(config)}`).toEqual(full)
          }
        }
      },
    )

    it('stops a split chain at LINEAGE_MAX_DEPTH levels', async () => {
      const ids = await traceLineageIds(
        fx.source,
        { profile: 'query_tool_reverse', seeds: [chain[25]], direction: 'backward' },
        { config: fx.config },
      )
      expect(ids).toEqual(chain.slice(5))
    })

    it('fails like the full lineage: 504 LINEAGE_TIMEOUT, and the caller’s abort reason as is', async () => {
      const hanging: MesSource = {
        ...fx.source,
        stream: async function* (_q, options) {
          await new Promise((_resolve, reject) =>
            options?.signal?.addEventListener('abort', () => reject(options.signal?.reason)),
          )
        },
      }
      const input = { profile: 'query_tool_reverse', seeds: [id.M2], direction: 'backward' } as const
      const err = await traceLineageIds(hanging, input, { config: { ...fx.config, LINEAGE_TIMEOUT_SECONDS: 1 } }).catch(
        (e: unknown) => e,
      )
      expect(err).toBeInstanceOf(DomainError)
      expect((err as DomainError).code).toBe('LINEAGE_TIMEOUT')
      const ac = new AbortController()
      const reason = new Error('cancelled by user')
      ac.abort(reason)
      await expect(traceLineageIds(fx.source, input, { config: fx.config, signal: ac.signal })).rejects.toBe(reason)
    })
  })

  describe('lineage failures', () => {
    it('answers 504 LINEAGE_TIMEOUT when the walk outlives LINEAGE_TIMEOUT_SECONDS', async () => {
      const hanging: MesSource = {
        ...fx.source,
        stream: async function* (_q, options) {
          await new Promise((_resolve, reject) =>
            options?.signal?.addEventListener('abort', () => reject(options.signal?.reason)),
          )
        },
      }
      const err = await backward([id.M2], { LINEAGE_TIMEOUT_SECONDS: 1 }, hanging).catch((e: unknown) => e)
      expect(err).toBeInstanceOf(DomainError)
      expect(DOMAIN_STATUS[(err as DomainError).code]).toBe(504)
      expect((err as DomainError).code).toBe('LINEAGE_TIMEOUT')
    })

    it('answers 500 LINEAGE_FAILED without the database message or a stack', async () => {
      const broken = await openFixture(dialect, ROWS)
      await broken.exec('DROP TABLE DW_MES_PJ_COMBINEDASSYLOTS')
      try {
        const err = await traceLineage(
          broken.source,
          { profile: 'query_tool', seeds: [id.W], direction: 'forward' },
          { config: broken.config },
        ).catch((e: unknown) => e)
        expect(err).toBeInstanceOf(DomainError)
        expect(DOMAIN_STATUS[(err as DomainError).code]).toBe(500)
        expect((err as DomainError).code).toBe('LINEAGE_FAILED')
        expect((err as DomainError).message).toBe(
          'lineage failed: the database reported an error; the server log has the details',
        )
        expect((err as DomainError).message).not.toMatch(/\n\s+at /)
      } finally {
        await broken.close()
      }
    })

    it('rejects with the caller’s abort reason, not as a lineage failure', async () => {
      const ac = new AbortController()
      const reason = new Error('cancelled by user')
      ac.abort(reason)
      await expect(
        traceLineage(
          fx.source,
          { profile: 'query_tool', seeds: [id.W], direction: 'forward' },
          { config: fx.config, signal: ac.signal },
        ),
      ).rejects.toBe(reason)
    })
  })
})
