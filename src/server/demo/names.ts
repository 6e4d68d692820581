/**
 * Ids, names and timestamps of the demo plant. Everything is computed from integer indexes and counters,
 * so the generator never keeps a name ↔ id map.
 */

/** Seconds since 1970 of a plant-local date-time given as UTC fields (the data has no time zone). */
export function toSeconds(isoDate: string): number {
  return Math.floor(Date.parse(`${isoDate.length === 10 ? isoDate + 'T00:00:00' : isoDate}Z`) / 1000)
}

const TWO_DIGITS = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, '0'))
const dayCache = new Map<number, string>()

/** `YYYY-MM-DD` of a time. */
export function formatDay(seconds: number): string {
  const day = Math.floor(seconds / 86_400)
  let text = dayCache.get(day)
  if (text === undefined) {
    text = new Date(day * 86_400_000).toISOString().slice(0, 10)
    dayCache.set(day, text)
  }
  return text
}

/**
 * `YYYY-MM-DDTHH:mm:ss`, plant local time, no zone (the warehouse's format). Called for every timestamp of
 * millions of rows, so the date part comes from a per-day cache instead of Date#toISOString.
 */
export function formatTimestamp(seconds: number): string {
  const inDay = seconds - Math.floor(seconds / 86_400) * 86_400
  const h = Math.floor(inDay / 3600)
  const m = Math.floor((inDay - h * 3600) / 60)
  return `${formatDay(seconds)}T${TWO_DIGITS[h]}:${TWO_DIGITS[m]}:${TWO_DIGITS[inDay - h * 3600 - m * 60]}`
}

/** `YYMM` of a time, the period part of order, wafer and serial names. */
export function yymm(seconds: number): string {
  const day = formatDay(seconds)
  return day.slice(2, 4) + day.slice(5, 7)
}

/** `YYMMDD` of a time. */
export function yymmdd(seconds: number): string {
  const day = formatDay(seconds)
  return day.slice(2, 4) + day.slice(5, 7) + day.slice(8, 10)
}

/** Zero-padded decimal. */
export function pad(n: number, width: number): string {
  return String(n).padStart(width, '0')
}

function hex12(n: number): string {
  return n.toString(16).padStart(12, '0')
}

/** Low bits that vary irregularly with the index, so consecutive ids do not look like a ramp. */
function jitter(index: number, salt: number): number {
  return Math.imul(index ^ salt, 0x9e3779b1) >>> 28
}

/**
 * CONTAINERID of the index-th container: 16 lowercase hex digits, unique per index (each index owns a block
 * of 16 values) and offset by the seed like a real warehouse's sequence.
 */
export function containerId(seed: number, index: number): string {
  const base = 0x0380000000 + (seed % 4096) * 0x1000000
  return '4881' + hex12(base + index * 16 + jitter(index, seed))
}

/** DW_MES_JOB.JOBID of the index-th job (same shape as a CID, its own prefix). */
export function jobId(seed: number, index: number): string {
  const base = 0x0170000000 + (seed % 4096) * 0x100000
  return '4883' + hex12(base + index * 16 + jitter(index, ~seed))
}

/** EQUIPMENTID of the index-th machine; machines are plant fixtures, the same for every seed. */
export function equipmentId(index: number): string {
  return '4880' + hex12(0x0a1000000 + index * 0x100 + jitter(index, 0x5eed))
}

/** Monotonic per-key counters (e.g. orders per month), the only state shared between families. */
export class Counters {
  private readonly seqs = new Map<string, number>()
  private cids = 0
  private jobs = 0

  /** Next 1-based sequence number for a key. */
  next(key: string): number {
    const n = (this.seqs.get(key) ?? 0) + 1
    this.seqs.set(key, n)
    return n
  }

  /** Index of the next container. */
  nextContainer(): number {
    return this.cids++
  }

  /** Index of the next maintenance job. */
  nextJob(): number {
    return this.jobs++
  }
}

/** Wafer lot name, e.g. `W2601-0012` (month of receipt and a monthly sequence). */
export function waferLotName(counters: Counters, seconds: number): string {
  const period = yymm(seconds)
  return `W${period}-${pad(counters.next('W' + period), 4)}`
}

/** Work order name, e.g. `GA26010012` (prefix GA/GC/GD, month and a monthly sequence). */
export function orderName(counters: Counters, prefix: 'GA' | 'GC' | 'GD', seconds: number): string {
  const period = yymm(seconds)
  return `${prefix}${period}${pad(counters.next(prefix + period), 4)}`
}

/** Finished-product serial number, e.g. `SN2601-00123`. */
export function serialNumber(counters: Counters, seconds: number): string {
  const period = yymm(seconds)
  return `SN${period}-${pad(counters.next('SN' + period), 5)}`
}

/** Non-conformance report id, e.g. `NCR2601-0042`. */
export function ncrId(counters: Counters, seconds: number): string {
  const period = yymm(seconds)
  return `NCR${period}-${pad(counters.next('NCR' + period), 4)}`
}

/** Equipment maintenance order, e.g. `EMO2601-00042`. */
export function maintenanceOrderName(counters: Counters, seconds: number): string {
  const period = yymm(seconds)
  return `EMO${period}-${pad(counters.next('EMO' + period), 5)}`
}
