/**
 * Measures, straight in SQL, what a backward MSD trace of the test station over the whole demo database
 * would touch: detection rows, seed lots, CIDs after backward lineage (all four edge types, transitively,
 * cycle-safe through UNION) and the history-domain rows of those CIDs. Used to prove a generated scale
 * (`demo:generate --check`), independent of the pipeline code it is meant to exercise.
 */
import Database from 'better-sqlite3'

/** What a backward test-station trace of the whole span touches. */
export interface TraceScale {
  /** LOTWIPHISTORY rows at the test group with equipment. */
  readonly detectionRows: number
  /** Distinct lots with such a row (the MSD seeds). */
  readonly seedLots: number
  /** Seeds plus every ancestor (split parents, merge sources, wafer origins, GD sources). */
  readonly lineageCids: number
  /** History-domain rows of the lineage CIDs: one per (CID, EQUIPMENTID, SPECNAME, TRACKINTIMESTAMP). */
  readonly historyRows: number
}

const TEST_STATION = `(WORKCENTERNAME LIKE '%TMTT%' OR WORKCENTERNAME LIKE '%測試%') AND EQUIPMENTID IS NOT NULL`

const STATEMENTS = [
  `CREATE TEMP TABLE trace_seed AS
     SELECT DISTINCT CONTAINERID AS cid FROM DW_MES_LOTWIPHISTORY WHERE ${TEST_STATION}`,
  `CREATE TEMP TABLE trace_edge AS
     SELECT CONTAINERID AS child, SPLITFROMID AS parent FROM DW_MES_CONTAINER WHERE SPLITFROMID IS NOT NULL
     UNION
     SELECT LOTID, CONTAINERID FROM DW_MES_PJ_COMBINEDASSYLOTS
     UNION
     SELECT c.CONTAINERID, w.CONTAINERID FROM DW_MES_CONTAINER c
       JOIN DW_MES_CONTAINER w ON w.CONTAINERNAME = c.FIRSTNAME AND w.OBJECTTYPE = 'LOT'
       WHERE w.CONTAINERID <> c.CONTAINERID
     UNION
     SELECT CONTAINERID, COALESCE(ORIGINALCONTAINERID, SPLITFROMID) FROM DW_MES_CONTAINER
       WHERE (MFGORDERNAME LIKE 'GD%' OR CONTAINERNAME LIKE 'GD%') AND COALESCE(ORIGINALCONTAINERID, SPLITFROMID) IS NOT NULL`,
  `CREATE INDEX temp.trace_edge_child ON trace_edge (child)`,
  `CREATE TEMP TABLE trace_lineage AS
     WITH RECURSIVE up(cid) AS (
       SELECT cid FROM trace_seed
       UNION
       SELECT e.parent FROM up JOIN trace_edge e ON e.child = up.cid
     )
     SELECT cid FROM up`,
  `CREATE UNIQUE INDEX temp.trace_lineage_cid ON trace_lineage (cid)`,
]

/** Runs the measurement on a demo database file (read-only; scratch tables live in TEMP). */
export function measureTestStationTrace(path: string): TraceScale {
  const db = new Database(path, { readonly: true, fileMustExist: true })
  try {
    for (const statement of STATEMENTS) db.exec(statement)
    const count = (query: string): number => (db.prepare(query).pluck().get() as number) ?? 0
    return {
      detectionRows: count(`SELECT COUNT(*) FROM DW_MES_LOTWIPHISTORY WHERE ${TEST_STATION}`),
      seedLots: count('SELECT COUNT(*) FROM trace_seed'),
      lineageCids: count('SELECT COUNT(*) FROM trace_lineage'),
      historyRows: count(
        `SELECT COUNT(*) FROM (
           SELECT DISTINCT h.CONTAINERID, h.EQUIPMENTID, h.SPECNAME, h.TRACKINTIMESTAMP
           FROM DW_MES_LOTWIPHISTORY h JOIN trace_lineage l ON l.cid = h.CONTAINERID
           WHERE h.EQUIPMENTID IS NOT NULL AND h.TRACKINTIMESTAMP IS NOT NULL)`,
      ),
    }
  } finally {
    db.close()
  }
}
