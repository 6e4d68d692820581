/**
 * holds: HOLDRELEASEHISTORY ⟕ CONTAINER with HOLD_STATUS (`HOLD` while unreleased, else `RELEASED`) and
 * HOLD_HOURS (hold to release, or to now while open; 2 decimals).
 */
import { idsIn, sql } from '../../source/sql.ts'
import { isoTimestamp, timestampMs } from '../timestamps.ts'
import type { BatchedDomainQuery } from './domain-query.ts'
import { round2 } from './row-values.ts'

function holdHours(hold: string | null, release: string | null, nowMs: number): number | null {
  if (!hold) return null
  const from = timestampMs(hold)
  const to = release ? timestampMs(release) : nowMs
  return Number.isFinite(from) && Number.isFinite(to) ? round2((to - from) / 3_600_000) : null
}

export const holdsQuery: BatchedDomainQuery = {
  kind: 'batched',
  query: (cids) => sql`
    SELECT h.CONTAINERID, c.CONTAINERNAME, h.WORKCENTERNAME, h.HOLDTXNDATE, h.HOLDEMP, h.HOLDEMPDEPTNAME,
           h.HOLDREASONNAME, h.HOLDCOMMENTS, h.RELEASETXNDATE, h.RELEASEEMP, h.RELEASECOMMENTS, h.NCRID
    FROM DW_MES_HOLDRELEASEHISTORY h
    LEFT JOIN DW_MES_CONTAINER c ON c.CONTAINERID = h.CONTAINERID
    WHERE h.CONTAINERID ${idsIn(cids)}
    ORDER BY h.CONTAINERID, h.HOLDTXNDATE NULLS LAST, h.RELEASETXNDATE NULLS LAST, h.WORKCENTERNAME NULLS LAST,
             h.HOLDREASONNAME NULLS LAST, h.NCRID NULLS LAST`,
  mapRow: (r, ctx) => {
    const hold = isoTimestamp(r[3])
    const release = isoTimestamp(r[8])
    return [
      r[0],
      r[1],
      r[2],
      hold,
      r[4],
      r[5],
      r[6],
      r[7],
      release,
      r[9],
      r[10],
      r[11],
      release ? 'RELEASED' : 'HOLD',
      holdHours(hold, release, ctx.nowMs),
    ]
  },
}
