import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { setLogLevel } from '../../../src/server/logger.ts'
import { MES_TABLES } from '../../../src/server/source/mes-schema.ts'
import { WORKCENTER_GROUPS, workcenterOrder } from '../../../src/shared/workcenter-groups.ts'
import { DEMO_DEFAULTS } from '../../../src/server/demo/demo-options.ts'
import { ensureDemoDatabase, writeSqliteDemo } from '../../../src/server/demo/sqlite-demo.ts'
import { measureTestStationTrace } from '../../../src/server/demo/trace-check.ts'
import { loadConfig } from '../../../src/server/config.ts'
import { traceLineage } from '../../../src/server/pipeline/lineage.ts'
import { createSqliteSource } from '../../../src/server/source/sqlite/sqlite-source.ts'
import type { ForwardLineageResponse } from '../../../src/shared/responses.ts'

let dir: string
let path: string
let db: InstanceType<typeof Database>

const one = (query: string): unknown => db.prepare(query).pluck().get()
const all = <T>(query: string): T[] => db.prepare(query).all() as T[]

beforeAll(async () => {
  setLogLevel('silent')
  dir = mkdtempSync(join(tmpdir(), 'demo-sqlite-'))
  path = join(dir, 'demo.sqlite')
  await writeSqliteDemo(path, { ...DEMO_DEFAULTS, lots: 60 })
  db = new Database(path, { readonly: true })
})

afterAll(() => {
  db?.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('the demo SQLite database', () => {
  it('has the seven tables with their columns and every index of the schema', () => {
    for (const spec of MES_TABLES) {
      const columns = all<{ name: string }>(`PRAGMA table_info(${spec.name})`).map((c) => c.name)
      expect(columns).toEqual(spec.columns.map(([name]) => name))
      expect(one(`SELECT COUNT(*) FROM ${spec.name}`)).toBeGreaterThan(0)
      for (const index of Object.keys(spec.indexes)) {
        expect(one(`SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND name = '${index}'`)).toBe(1)
      }
    }
  })

  it('starts lots from wafer lots named in FIRSTNAME and splits them over at least three levels', () => {
    expect(
      one(`SELECT COUNT(*) FROM DW_MES_CONTAINER c WHERE c.MFGORDERNAME LIKE 'GA%' OR c.MFGORDERNAME LIKE 'GC%'`),
    ).toBeGreaterThan(0)
    const orphans = one(`
      SELECT COUNT(*) FROM DW_MES_CONTAINER c
      WHERE NOT EXISTS (SELECT 1 FROM DW_MES_CONTAINER w WHERE w.CONTAINERNAME = c.FIRSTNAME AND w.OBJECTTYPE = 'LOT' AND w.MFGORDERNAME IS NULL)`)
    expect(orphans).toBe(0)
    const depth = one(`
      WITH RECURSIVE chain(cid, depth) AS (
        SELECT CONTAINERID, 0 FROM DW_MES_CONTAINER WHERE SPLITFROMID IS NULL AND MFGORDERNAME NOT LIKE 'GD%'
        UNION ALL
        SELECT c.CONTAINERID, chain.depth + 1 FROM chain JOIN DW_MES_CONTAINER c ON c.SPLITFROMID = chain.cid
        WHERE chain.depth < 20 AND c.MFGORDERNAME NOT LIKE 'GD%'
      ) SELECT MAX(depth) FROM chain`)
    expect(depth).toBeGreaterThanOrEqual(3)
  })

  it('merges lots into assembly lots and merges some assembly lots again', () => {
    const mergeOfMerge = one(`
      SELECT COUNT(*) FROM DW_MES_PJ_COMBINEDASSYLOTS outer_m
      WHERE EXISTS (SELECT 1 FROM DW_MES_PJ_COMBINEDASSYLOTS inner_m WHERE inner_m.LOTID = outer_m.CONTAINERID)`)
    expect(mergeOfMerge).toBeGreaterThan(0)
    const dangling = one(`
      SELECT COUNT(*) FROM DW_MES_PJ_COMBINEDASSYLOTS m
      WHERE NOT EXISTS (SELECT 1 FROM DW_MES_CONTAINER c WHERE c.CONTAINERID = m.CONTAINERID AND c.CONTAINERNAME = m.CONTAINERNAME)
         OR NOT EXISTS (SELECT 1 FROM DW_MES_CONTAINER c WHERE c.CONTAINERID = m.LOTID)`)
    expect(dangling).toBe(0)
    expect(one(`SELECT COUNT(*) FROM DW_MES_PJ_COMBINEDASSYLOTS WHERE FINISHEDNAME LIKE 'SN%'`)).toBeGreaterThan(0)
  })

  it('points GD rework lots back through ORIGINALCONTAINERID, and some through SPLITFROMID only', () => {
    const byOriginal = one(`
      SELECT COUNT(*) FROM DW_MES_CONTAINER g JOIN DW_MES_CONTAINER src ON src.CONTAINERID = g.ORIGINALCONTAINERID
      WHERE g.MFGORDERNAME LIKE 'GD%' AND g.CONTAINERNAME LIKE 'GD%'`)
    expect(byOriginal).toBeGreaterThan(0)
    const splitOnly = one(`
      SELECT COUNT(*) FROM DW_MES_CONTAINER g JOIN DW_MES_CONTAINER src ON src.CONTAINERID = g.SPLITFROMID
      WHERE g.MFGORDERNAME LIKE 'GD%' AND g.ORIGINALCONTAINERID IS NULL`)
    expect(splitOnly).toBeGreaterThan(0)
  })

  it('plants W2601-0001 → … → a merge-of-merge assembly lot with a serial that was reworked into a GD lot', () => {
    const planted = all<{ gd: string; assembly: string; serial: string }>(`
      SELECT g.CONTAINERNAME gd, a.CONTAINERNAME assembly, p.FINISHEDNAME serial
      FROM DW_MES_CONTAINER g
      JOIN DW_MES_CONTAINER a ON a.CONTAINERID = g.ORIGINALCONTAINERID
      JOIN DW_MES_PJ_COMBINEDASSYLOTS p ON p.LOTID = a.CONTAINERID AND p.FINISHEDNAME IS NOT NULL
      WHERE g.MFGORDERNAME LIKE 'GD%' AND a.FIRSTNAME = 'W2601-0001'
        AND EXISTS (SELECT 1 FROM DW_MES_PJ_COMBINEDASSYLOTS q JOIN DW_MES_PJ_COMBINEDASSYLOTS r ON r.LOTID = q.CONTAINERID
                    WHERE q.LOTID = a.CONTAINERID)`)
    expect(planted.length).toBeGreaterThan(0)
    expect(planted[0].serial).toMatch(/^SN2601-\d{5}$/)
  })

  it('answers the planted rework serial in the forward lineage of W2601-0001, on the assembly lot', async () => {
    const config = loadConfig({ DB_POOL_SIZE: '1' })
    const source = createSqliteSource(path, config)
    try {
      const wafer = one(`SELECT CONTAINERID FROM DW_MES_CONTAINER WHERE CONTAINERNAME = 'W2601-0001'`) as string
      const l = (await traceLineage(
        source,
        { profile: 'query_tool', seeds: [wafer], direction: 'forward' },
        { config },
      )) as ForwardLineageResponse
      const gd = l.nodes.find(
        (n) => n.node_type === 'GD' && l.edges.some((e) => e.to === n.container_id && e.type === 'gd_rework_source'),
      )!
      const assembly = l.edges.find((e) => e.to === gd.container_id && e.type === 'gd_rework_source')!.from
      expect(l.serials[assembly]).toEqual([expect.stringMatching(/^SN2601-/)])
      expect(l.leaf_serials[assembly]).toBeUndefined()
    } finally {
      await source.close()
    }
  })

  it('holds every workcenter spelling the grouping knows: TOTAI, BANDL, 焊_DB, 焊_DB_料', () => {
    const names = all<{ wc: string }>(`SELECT DISTINCT WORKCENTERNAME wc FROM DW_MES_LOTWIPHISTORY`).map((r) => r.wc)
    expect(names).toEqual(expect.arrayContaining(['TOTAI', 'BANDL', '焊_DB', '焊_DB_料', '焊接_DB', 'TMTT', '測試']))
    expect(names.filter((n) => workcenterOrder(n) === 999)).toEqual([])
  })

  it('gives containers the product columns the rejects domain shows', () => {
    expect(
      one(
        `SELECT COUNT(*) FROM DW_MES_CONTAINER WHERE PRODUCTNAME IS NULL OR PJ_FUNCTION IS NULL OR PRODUCTLINENAME IS NULL`,
      ),
    ).toBe(0)
    expect(one(`SELECT COUNT(DISTINCT PRODUCTNAME) FROM DW_MES_CONTAINER`)).toBeGreaterThan(1)
  })

  it('contains a split cycle of bad data', () => {
    const cycles = one(`
      SELECT COUNT(*) FROM DW_MES_CONTAINER a JOIN DW_MES_CONTAINER b ON a.SPLITFROMID = b.CONTAINERID AND b.SPLITFROMID = a.CONTAINERID`)
    expect(cycles).toBeGreaterThanOrEqual(2)
  })

  it('tracks out after tracking in, never gains units, and moves through the workcenter groups in order', () => {
    expect(
      one(
        `SELECT COUNT(*) FROM DW_MES_LOTWIPHISTORY WHERE TRACKOUTTIMESTAMP < TRACKINTIMESTAMP OR TRACKOUTQTY > TRACKINQTY`,
      ),
    ).toBe(0)
    const rows = all<{ cid: string; wc: string; tin: string; tout: string }>(`
      SELECT CONTAINERID cid, WORKCENTERNAME wc, TRACKINTIMESTAMP tin, MAX(TRACKOUTTIMESTAMP) tout
      FROM DW_MES_LOTWIPHISTORY GROUP BY CONTAINERID, EQUIPMENTID, SPECNAME, TRACKINTIMESTAMP ORDER BY CONTAINERID, TRACKINTIMESTAMP`)
    const seenGroups = new Set<number>()
    const outOfOrder: string[] = []
    for (let i = 1; i < rows.length; i++) {
      seenGroups.add(workcenterOrder(rows[i].wc))
      if (rows[i].cid !== rows[i - 1].cid) continue
      if (rows[i].tin < rows[i - 1].tout || workcenterOrder(rows[i].wc) < workcenterOrder(rows[i - 1].wc)) {
        outOfOrder.push(`${rows[i].cid} ${rows[i - 1].wc} → ${rows[i].wc} at ${rows[i].tin}`)
      }
    }
    expect(outOfOrder).toEqual([])
    expect([...seenGroups].sort((a, b) => a - b)).toEqual(WORKCENTER_GROUPS.map((g) => g.order))
  })

  it('keeps some rows without equipment and some duplicate track-ins with two track-outs', () => {
    expect(one(`SELECT COUNT(*) FROM DW_MES_LOTWIPHISTORY WHERE EQUIPMENTID IS NULL`)).toBeGreaterThan(0)
    const duplicates = one(`
      SELECT COUNT(*) FROM (
        SELECT 1 FROM DW_MES_LOTWIPHISTORY WHERE EQUIPMENTID IS NOT NULL
        GROUP BY CONTAINERID, EQUIPMENTID, SPECNAME, TRACKINTIMESTAMP HAVING COUNT(DISTINCT TRACKOUTTIMESTAMP) = 2)`)
    expect(duplicates).toBeGreaterThan(0)
  })

  it('shares material lots across many containers and uses a few hundred machines', () => {
    const widest = one(`
      SELECT MAX(n) FROM (SELECT COUNT(DISTINCT CONTAINERID) n FROM DW_MES_LOTMATERIALSHISTORY GROUP BY MATERIALLOTNAME)`)
    expect(widest).toBeGreaterThanOrEqual(20)
    expect(one(`SELECT COUNT(DISTINCT EQUIPMENTID) FROM DW_MES_LOTWIPHISTORY`)).toBeGreaterThan(200)
  })

  it('concentrates rejects on a few bad machines and records some without a loss reason', () => {
    const perMachine = all<{ qty: number }>(`
      SELECT SUM(REJECTQTY + STANDBYQTY + QTYTOPROCESS + INPROCESSQTY + PROCESSEDQTY + DEFECTQTY) qty
      FROM DW_MES_LOTREJECTHISTORY WHERE EQUIPMENTNAME IS NOT NULL GROUP BY EQUIPMENTNAME ORDER BY qty DESC`)
    const total = perMachine.reduce((n, m) => n + m.qty, 0)
    const top3 = perMachine.slice(0, 3).reduce((n, m) => n + m.qty, 0)
    expect(perMachine.length).toBeGreaterThan(50)
    expect(top3 / total).toBeGreaterThan(0.3)
    expect(one(`SELECT COUNT(*) FROM DW_MES_LOTREJECTHISTORY WHERE LOSSREASONNAME IS NULL`)).toBeGreaterThan(0)
  })

  it('releases most holds and leaves some open, with NCR ids on some', () => {
    const released = one(`SELECT COUNT(*) FROM DW_MES_HOLDRELEASEHISTORY WHERE RELEASETXNDATE IS NOT NULL`) as number
    const open = one(`SELECT COUNT(*) FROM DW_MES_HOLDRELEASEHISTORY WHERE RELEASETXNDATE IS NULL`) as number
    expect(open).toBeGreaterThan(0)
    expect(released).toBeGreaterThan(open)
    expect(one(`SELECT COUNT(*) FROM DW_MES_HOLDRELEASEHISTORY WHERE NCRID IS NOT NULL`)).toBeGreaterThan(0)
    expect(one(`SELECT COUNT(*) FROM DW_MES_HOLDRELEASEHISTORY WHERE RELEASETXNDATE < HOLDTXNDATE`)).toBe(0)
  })

  it('lists real CIDs, with their names in the same order, in maintenance jobs', () => {
    const jobs = all<{ ids: string; names: string }>(`
      SELECT CONTAINERIDS ids, CONTAINERNAMES names FROM DW_MES_JOB WHERE CONTAINERIDS IS NOT NULL`)
    expect(jobs.length).toBeGreaterThan(0)
    const nameOf = db.prepare('SELECT CONTAINERNAME FROM DW_MES_CONTAINER WHERE CONTAINERID = ?').pluck()
    for (const job of jobs) {
      const ids = job.ids.split(',')
      expect(job.names.split(',')).toEqual(ids.map((id) => nameOf.get(id)))
    }
  })

  it('reaches GA lots and wafer lots from the test station through backward lineage', () => {
    const scale = measureTestStationTrace(path)
    expect(scale.seedLots).toBeGreaterThan(0)
    expect(scale.detectionRows).toBeGreaterThan(scale.seedLots)
    expect(scale.lineageCids).toBeGreaterThan(scale.seedLots)
    expect(scale.lineageCids).toBeLessThanOrEqual(one('SELECT COUNT(*) FROM DW_MES_CONTAINER') as number)
    expect(scale.historyRows).toBeGreaterThan(scale.lineageCids)
  })
})

describe('writeSqliteDemo', () => {
  it('builds in a .tmp file and leaves the previous database untouched when a run is interrupted', async () => {
    const target = join(dir, 'interrupted.sqlite')
    writeFileSync(target, 'previous database')
    let calls = 0
    const interrupt = (): void => {
      if (++calls === 3) {
        expect(existsSync(`${target}.tmp`)).toBe(true)
        throw new Error('interrupted')
      }
    }
    await expect(writeSqliteDemo(target, { ...DEMO_DEFAULTS, lots: 10 }, interrupt)).rejects.toThrow('interrupted')
    expect(readFileSync(target, 'utf8')).toBe('previous database')
    expect(existsSync(`${target}.tmp`)).toBe(false)
  })

  it('replaces a stale .tmp file and renames the finished database into place', async () => {
    const target = join(dir, 'fresh', 'demo.sqlite')
    const counts = await writeSqliteDemo(join(dir, 'fresh', 'seeded.sqlite'), { ...DEMO_DEFAULTS, lots: 3 })
    writeFileSync(`${target}.tmp`, 'stale')
    const again = await writeSqliteDemo(target, { ...DEMO_DEFAULTS, lots: 3 })
    expect(again).toEqual(counts)
    expect(existsSync(`${target}.tmp`)).toBe(false)
    const check = new Database(target, { readonly: true })
    try {
      expect(check.prepare('SELECT COUNT(*) FROM DW_MES_CONTAINER').pluck().get()).toBe(counts.DW_MES_CONTAINER)
    } finally {
      check.close()
    }
  })
})

describe('ensureDemoDatabase', () => {
  it('generates the default database only when the file is missing', async () => {
    const target = join(dir, 'ensure', 'demo.sqlite')
    const phases = new Set<string>()
    expect(await ensureDemoDatabase(target, (p) => phases.add(p.phase))).toBe(true)
    expect(existsSync(target)).toBe(true)
    expect([...phases]).toEqual(['generate', 'index', 'analyze'])
    expect(await ensureDemoDatabase(target)).toBe(false)
  })
})
