/**
 * Why seed resolution found nothing, in one sentence an engineer can act on: the names that matched nothing,
 * or, for an MSD date range, that no lot was at the station then and which days the data holds.
 */
import type { InputType } from '../../shared/domains.ts'
import type { MsdDateRangeParams } from '../../shared/schemas.ts'
import type { MesSource } from '../source/mes-source.ts'
import { sql } from '../source/sql.ts'
import { collectRows, num } from './batching.ts'
import { msdWindow, trackInsAtStation } from './seed-msd-queries.ts'
import type { StageOptions } from './stage-options.ts'
import { stationDataSpan } from './station-data-span.ts'

/** Values named in a message; the rest are counted. */
const NAMED = 5

const WHAT: Readonly<Record<InputType, string>> = {
  lot_id: 'lot name',
  wafer_lot: 'wafer lot',
  work_order: 'GA/GC work order',
  serial_number: 'serial number, lot or wafer lot name',
  gd_lot_id: 'GD lot name',
  gd_work_order: 'GD work order',
}

function listed(values: readonly string[]): string {
  const shown = values.slice(0, NAMED).join(', ')
  return values.length > NAMED ? `${shown} and ${values.length - NAMED} more` : shown
}

/** The reason for typed names or patterns that matched no container. */
export function unmatchedReason(inputType: InputType, notFound: readonly string[]): string {
  const patterns = notFound.some((v) => /[*%_]/.test(v))
  return `no ${WHAT[inputType]} matched ${listed(notFound)}${patterns ? ' (patterns included)' : ''}`
}

/**
 * The reason an MSD date range gave no seed: no lot at the station in the range (with the days the station
 * has data for), or lots that the loss-reason filter left out. Runs only when there are no seeds.
 */
export async function msdEmptyReason(
  source: MesSource,
  params: MsdDateRangeParams,
  opts: StageOptions,
): Promise<string> {
  const w = msdWindow(params)
  const range = `between ${params.start_date} and ${params.end_date}`
  const count = sql`SELECT COUNT(DISTINCT h.CONTAINERID) FROM DW_MES_LOTWIPHISTORY h WHERE ${trackInsAtStation(w)}`
  const lots = num((await collectRows(source, count, opts))[0]?.[0]) ?? 0
  if (lots > 0) {
    const were = lots === 1 ? '1 lot was' : `${lots} lots were`
    return `${were} at ${params.station} ${range}, none with a reject for ${listed(params.loss_reasons ?? [])}`
  }
  const span = await stationDataSpan(source, w.group, opts)
  const holds =
    span.first_day && span.last_day
      ? `the data holds ${span.first_day} … ${span.last_day}`
      : `the data holds no track-in at ${params.station}`
  return `no lot was at ${params.station} ${range}; ${holds}`
}
