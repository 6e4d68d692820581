/** Where each input type of docs/domain.md is looked up; `serial_number` is three sources tried in order. */
import type { InputType } from '../../shared/domains.ts'
import type { Seed } from '../../shared/responses.ts'
import type { LookupSpec } from './seed-lookup.ts'

const CONTAINER_SELECT = (column: string) => `SELECT c.CONTAINERID, c.CONTAINERNAME, ${column} FROM DW_MES_CONTAINER c`

const LOT_ONLY = "c.OBJECTTYPE = 'LOT'"

/** Lookups of the single-source input types. */
export const INPUT_LOOKUPS: Readonly<Record<Exclude<InputType, 'serial_number'>, LookupSpec>> = {
  lot_id: {
    select: CONTAINER_SELECT('c.CONTAINERNAME'),
    conditions: [],
    column: 'c.CONTAINERNAME',
    caseInsensitive: false,
  },
  wafer_lot: {
    select: CONTAINER_SELECT('c.FIRSTNAME'),
    conditions: [LOT_ONLY],
    column: 'c.FIRSTNAME',
    caseInsensitive: false,
  },
  work_order: {
    select: CONTAINER_SELECT('c.MFGORDERNAME'),
    conditions: ["(UPPER(c.MFGORDERNAME) LIKE 'GA%' OR UPPER(c.MFGORDERNAME) LIKE 'GC%')"],
    column: 'c.MFGORDERNAME',
    caseInsensitive: true,
  },
  gd_lot_id: {
    select: CONTAINER_SELECT('c.CONTAINERNAME'),
    conditions: [],
    column: 'c.CONTAINERNAME',
    caseInsensitive: true,
  },
  gd_work_order: {
    select: CONTAINER_SELECT('c.MFGORDERNAME'),
    conditions: ["UPPER(c.MFGORDERNAME) LIKE 'GD%'"],
    column: 'c.MFGORDERNAME',
    caseInsensitive: true,
  },
}

export type SerialSource = NonNullable<Seed['source']>

/**
 * serial_number sources in precedence order. A serial belongs to the assembled lot (LOTID, the merge
 * target), so that lot is the seed and the backward trace reaches every merged source from it.
 */
export const SERIAL_LOOKUPS: readonly { readonly source: SerialSource; readonly spec: LookupSpec }[] = [
  {
    source: 'FINISHEDNAME',
    spec: {
      select:
        'SELECT DISTINCT COALESCE(p.LOTID, p.CONTAINERID), c.CONTAINERNAME, p.FINISHEDNAME ' +
        'FROM DW_MES_PJ_COMBINEDASSYLOTS p LEFT JOIN DW_MES_CONTAINER c ON c.CONTAINERID = COALESCE(p.LOTID, p.CONTAINERID)',
      conditions: [],
      column: 'p.FINISHEDNAME',
      caseInsensitive: false,
    },
  },
  {
    source: 'CONTAINERNAME',
    spec: {
      select: CONTAINER_SELECT('c.CONTAINERNAME'),
      conditions: [LOT_ONLY],
      column: 'c.CONTAINERNAME',
      caseInsensitive: false,
    },
  },
  {
    source: 'FIRSTNAME',
    spec: {
      select: CONTAINER_SELECT('c.FIRSTNAME'),
      conditions: [LOT_ONLY],
      column: 'c.FIRSTNAME',
      caseInsensitive: false,
    },
  },
]
