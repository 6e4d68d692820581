/**
 * The defect investigation's answer: which machines, material lots and wafer lots the lots failing at a
 * detection station have in common. Holds the detection lots' facts in columns and, per suspect key, the list
 * of detection lots linked to it (never an event row), so any filter is answered again from memory in time
 * proportional to the links. See rate-statistics.ts for the test and the score.
 */
import {
  SUSPECT_DIMENSIONS,
  type AttributionFilter,
  type AttributionResult,
  type DailyPoint,
  type LotDetailRow,
  type ParetoItem,
  type Suspect,
  type SuspectDetail,
  type SuspectDimension,
} from '../../shared/defect-analysis.ts'
import { decodeSections, encodeSections, type Section } from './binary-sections.ts'
import { DetectionLotTable } from './detection-lot-table.ts'
import type { AnalysisWindow } from './machine-maintenance.ts'
import { rankRates, rankSumPValue, suspicionScore, wilsonInterval } from './rate-statistics.ts'

/** What is known of one lot at the detection station. */
export interface DetectionLotFacts {
  readonly cid: string
  readonly name: string
  /** TRACKINQTY at the station: the input of the rate. */
  readonly inputQty: number
  /** Reject quantity per loss reason at the station in the window. */
  readonly rejects: Readonly<Record<string, number>>
  /** The detection machine (EQUIPMENTNAME at the station). */
  readonly machine: string | null
  /** Track-in at the station, ISO 8601. */
  readonly trackIn: string
  readonly productType: string | null
  readonly productLine: string | null
}

/** How many suspects per dimension are listed, and how many name a lot's SUSPECTS. */
const LIST_SIZE = 50
const DETAIL_SUSPECTS = 10
const PARETO_SIZE = 10
const TREND_SUSPECTS = 3

const round4 = (x: number): number => Math.round(x * 1e4) / 1e4
const pct = (defects: number, input: number): number => (input > 0 ? round4((100 * defects) / input) : 0)

/**
 * A growable list of lot indices; sorted and de-duplicated when read, and before it grows: rows of an ancestor
 * link the same lots to a machine again and again, so the list stays within twice its distinct lots.
 */
export class LotList {
  private items: Uint32Array
  private size: number
  private compact: boolean

  constructor(items: Uint32Array = new Uint32Array(4), size = 0) {
    this.items = items
    this.size = size
    this.compact = true
  }

  push(lot: number): void {
    if (this.size > 0 && this.items[this.size - 1] === lot) return
    if (this.size === this.items.length) {
      this.view()
      if (this.size * 2 > this.items.length) {
        const next = new Uint32Array(this.items.length * 2)
        next.set(this.items.subarray(0, this.size))
        this.items = next
      }
    }
    if (this.size > 0 && this.items[this.size - 1] > lot) this.compact = false
    this.items[this.size++] = lot
  }

  view(): Uint32Array {
    if (!this.compact) {
      const sorted = this.items.subarray(0, this.size).sort()
      let n = 0
      for (let i = 0; i < sorted.length; i++) if (i === 0 || sorted[i] !== sorted[n - 1]) sorted[n++] = sorted[i]
      this.size = n
      this.compact = true
    }
    return this.items.subarray(0, this.size)
  }
}

interface KeyEntry {
  readonly dimension: SuspectDimension
  readonly parts: readonly (string | null)[]
  readonly lots: LotList
}

function labelOf(dimension: SuspectDimension, parts: readonly (string | null)[]): string {
  if (dimension === 'machine') return `${parts[1] ?? '?'} (${parts[0] ?? '?'})`
  if (dimension === 'material') return `${parts[1] ?? '?'} (${parts[0] ?? '?'})`
  return parts[0] ?? '?'
}

/** The ids of the chosen strings, or undefined when the filter keeps everything. */
function chosenIds(table: DetectionLotTable, list: readonly string[] | undefined): Set<number> | undefined {
  return list && list.length > 0 ? new Set(list.flatMap((v) => table.idOf(v) ?? [])) : undefined
}

function paretoOf(entries: readonly { label: string; value: number }[]): ParetoItem[] {
  const sorted = entries.filter((e) => e.value > 0).sort((a, b) => b.value - a.value || (a.label < b.label ? -1 : 1))
  const total = sorted.reduce((s, e) => s + e.value, 0)
  const head = sorted.slice(0, PARETO_SIZE)
  const other = sorted.slice(PARETO_SIZE).reduce((s, e) => s + e.value, 0)
  const items = other > 0 ? [...head, { label: 'other', value: other }] : head
  let running = 0
  return items.map((e) => {
    running += e.value
    return { label: e.label, value: e.value, cumulative_pct: total > 0 ? round4((100 * running) / total) : 0 }
  })
}

/** Per-lot defect quantity and rate under a filter; NaN rate for a lot the filter leaves out or without input. */
interface LotMeasures {
  readonly kept: Uint8Array
  /** Input of each kept lot (0 when filtered out), in a typed array so a key's totals never touch the facts. */
  readonly input: Float64Array
  readonly defects: Float64Array
  readonly rates: Float64Array
}

const STATE_MAGIC = 'MSA1'
const STATE_SECTIONS = [
  Int32Array,
  Int32Array,
  Int32Array,
  Float64Array,
  Uint32Array,
  Uint32Array,
  Float64Array,
  Uint32Array,
  Uint32Array,
] as const

/** The JSON header of a stored attribution: its strings; the numbers are typed sections after it. */
interface StateHeader {
  readonly strings: string[]
  readonly cids: string[]
  readonly names: string[]
  readonly trackIns: string[]
  readonly keys: [SuspectDimension, (string | null)[]][]
  readonly window: AnalysisWindow | null
}

export class DefectAttribution {
  private readonly lots: DetectionLotTable
  /** Detection lot by CID; only while the job builds the attribution. */
  private readonly byCid = new Map<string, number>()
  private readonly keys = new Map<string, KeyEntry>()

  /** `window`: the detection window the lots were read in, kept with the state for the suspect panel. */
  constructor(
    readonly window: AnalysisWindow | null = null,
    lots: DetectionLotTable = DetectionLotTable.empty(),
  ) {
    this.lots = lots
  }

  /** Adds a detection lot (once per CID); returns its index, used by `link`. */
  addLot(facts: DetectionLotFacts): number {
    const known = this.byCid.get(facts.cid)
    if (known !== undefined) return known
    const index = this.lots.add(facts)
    this.byCid.set(facts.cid, index)
    if (facts.machine !== null) this.link('detection_machine', [facts.machine], [index])
    return index
  }

  /** The index of a detection lot. */
  lotIndex(cid: string): number | undefined {
    return this.byCid.get(cid)
  }

  get lotCount(): number {
    return this.lots.size
  }

  /** Records that these detection lots went through (or came from) the key. */
  link(dimension: SuspectDimension, parts: readonly (string | null)[], lots: Iterable<number>): void {
    const id = dimension + '\u0000' + parts.join('\u0000')
    let entry = this.keys.get(id)
    if (!entry) {
      entry = { dimension, parts, lots: new LotList() }
      this.keys.set(id, entry)
    }
    for (const lot of lots) entry.lots.push(lot)
  }

  /**
   * The state to store with a job, so its filters are answered without re-running the trace: the strings in a
   * small JSON header, the lot columns and every key's lots as typed arrays (the bulk: millions of links).
   */
  toBytes(): Buffer {
    const c = this.lots.columns
    const entries = [...this.keys.values()]
    const keyLotStart = new Uint32Array(entries.length + 1)
    entries.forEach((e, i) => (keyLotStart[i + 1] = keyLotStart[i] + e.lots.view().length))
    const keyLots = new Uint32Array(keyLotStart[entries.length])
    entries.forEach((e, i) => keyLots.set(e.lots.view(), keyLotStart[i]))
    const header: StateHeader = {
      strings: [...c.strings],
      cids: [...c.cids],
      names: [...c.names],
      trackIns: [...c.trackIns],
      keys: entries.map((e) => [e.dimension, [...e.parts]]),
      window: this.window,
    }
    const sections: Section[] = [
      Int32Array.from(c.machine),
      Int32Array.from(c.productType),
      Int32Array.from(c.productLine),
      Float64Array.from(c.inputQty),
      Uint32Array.from(c.rejectStart),
      Uint32Array.from(c.rejectReason),
      Float64Array.from(c.rejectQty),
      keyLotStart,
      keyLots,
    ]
    return encodeSections(STATE_MAGIC, header, sections)
  }

  /** An attribution restored from `toBytes()`; its arrays are views of `bytes`. */
  static fromBytes(bytes: Uint8Array): DefectAttribution {
    const { header, sections } = decodeSections<StateHeader>(STATE_MAGIC, bytes, STATE_SECTIONS)
    const [machine, productType, productLine, inputQty, rejectStart, rejectReason, rejectQty, keyLotStart, keyLots] =
      sections
    const a = new DefectAttribution(
      header.window,
      DetectionLotTable.of({
        strings: header.strings,
        cids: header.cids,
        names: header.names,
        trackIns: header.trackIns,
        machine,
        productType,
        productLine,
        inputQty,
        rejectStart,
        rejectReason,
        rejectQty,
      }),
    )
    header.keys.forEach(([dimension, parts], i) => {
      const lots = keyLots.subarray(keyLotStart[i], keyLotStart[i + 1]) as Uint32Array
      a.keys.set(dimension + '\u0000' + parts.join('\u0000'), {
        dimension,
        parts,
        lots: new LotList(lots, lots.length),
      })
    })
    return a
  }

  private measures(filter: AttributionFilter): LotMeasures {
    const n = this.lots.size
    const kept = new Uint8Array(n)
    const input = new Float64Array(n)
    const defects = new Float64Array(n)
    const rates = new Float64Array(n).fill(Number.NaN)
    const reasons = chosenIds(this.lots, filter.lossReasons)
    const types = chosenIds(this.lots, filter.productTypes)
    const lines = chosenIds(this.lots, filter.productLines)
    for (let i = 0; i < n; i++) {
      if (types && !types.has(this.lots.productTypeId(i))) continue
      if (lines && !lines.has(this.lots.productLineId(i))) continue
      kept[i] = 1
      const lotInput = this.lots.inputQty(i)
      input[i] = lotInput
      let d = 0
      this.lots.forEachReject(i, (reason, qty) => {
        if (!reasons || reasons.has(reason)) d += qty
      })
      defects[i] = d
      if (lotInput > 0) rates[i] = d / lotInput
    }
    return { kept, input, defects, rates }
  }

  /** The whole analysis under a filter. */
  analyse(filter: AttributionFilter = {}): AttributionResult {
    const m = this.measures(filter)
    const ranking = rankRates(m.rates)
    let totalInput = 0
    let totalDefects = 0
    let lotCount = 0
    let defectiveLots = 0
    const reasonQty = new Map<number, number>()
    const allReasons = new Set<number>()
    const types = new Set<number>()
    const lines = new Set<number>()
    const wanted = chosenIds(this.lots, filter.lossReasons)
    for (let i = 0; i < this.lots.size; i++) {
      types.add(this.lots.productTypeId(i))
      lines.add(this.lots.productLineId(i))
      if (!m.kept[i]) continue
      lotCount++
      totalInput += m.input[i]
      totalDefects += m.defects[i]
      if (m.defects[i] > 0) defectiveLots++
      this.lots.forEachReject(i, (reason, qty) => {
        if (qty > 0) allReasons.add(reason)
        if (!wanted || wanted.has(reason)) reasonQty.set(reason, (reasonQty.get(reason) ?? 0) + qty)
      })
    }
    const stringsOf = (ids: Iterable<number>): string[] => [...ids].flatMap((id) => this.lots.string(id) ?? []).sort()

    const suspects = Object.fromEntries(SUSPECT_DIMENSIONS.map((d) => [d, [] as Suspect[]])) as Record<
      SuspectDimension,
      Suspect[]
    >
    const groupKeep = filter.workcenterGroups?.length ? filter.workcenterGroups : undefined
    for (const entry of this.keys.values()) {
      if (entry.dimension === 'machine' && groupKeep && !groupKeep.includes(entry.parts[0] ?? '')) continue
      const s = this.suspect(entry, m, ranking, totalInput, totalDefects)
      if (s.detection_lot_count > 0) suspects[entry.dimension].push(s)
    }
    for (const list of Object.values(suspects)) {
      // Ties end on the key itself, so the order never depends on the order the rows arrived in.
      list.sort(
        (a, b) =>
          b.score - a.score ||
          b.defect_qty - a.defect_qty ||
          b.detection_lot_count - a.detection_lot_count ||
          (a.key.join('\u0000') < b.key.join('\u0000') ? -1 : 1),
      )
    }

    const reasonEntries = [...reasonQty.entries()].map(([id, qty]) => [this.lots.string(id)!, qty] as const)
    const topReason = [...reasonEntries].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]
    const pareto = {
      ...(Object.fromEntries(
        SUSPECT_DIMENSIONS.map((d) => [
          d,
          paretoOf(suspects[d].map((s) => ({ label: labelOf(d, s.key), value: s.defect_qty }))),
        ]),
      ) as Record<SuspectDimension, ParetoItem[]>),
      loss_reason: paretoOf(reasonEntries.map(([label, value]) => ({ label, value }))),
    }
    const trendSuspects = suspects.machine.filter((s) => s.score > 0).slice(0, TREND_SUSPECTS)
    return {
      direction: 'backward',
      kpi: {
        total_input: totalInput,
        lot_count: lotCount,
        defective_lot_count: defectiveLots,
        defect_qty: totalDefects,
        defect_rate: pct(totalDefects, totalInput),
        top_loss_reason: topReason && topReason[1] > 0 ? topReason[0] : null,
        machines_involved: suspects.machine.length,
      },
      suspects: Object.fromEntries(SUSPECT_DIMENSIONS.map((d) => [d, suspects[d].slice(0, LIST_SIZE)])) as Record<
        SuspectDimension,
        Suspect[]
      >,
      pareto,
      daily_trend: this.daily(m, undefined),
      suspect_trends: Object.fromEntries(
        trendSuspects.map((s) => [labelOf('machine', s.key), this.daily(m, this.entryOf(s))]),
      ),
      available_loss_reasons: stringsOf(allReasons),
      available_product_types: stringsOf(types),
      available_product_lines: stringsOf(lines),
    }
  }

  /** Detection lots with their facts and the top suspects they are linked to, `limit` from `offset`. */
  lotDetail(filter: AttributionFilter, offset: number, limit: number): { total: number; rows: LotDetailRow[] } {
    const m = this.measures(filter)
    const analysis = this.analyse(filter)
    const top = SUSPECT_DIMENSIONS.filter((d) => d !== 'detection_machine')
      .flatMap((d) => analysis.suspects[d].filter((s) => s.score > 0).slice(0, DETAIL_SUSPECTS))
      .sort((a, b) => b.score - a.score)
      .slice(0, DETAIL_SUSPECTS)
    const suspectsOf = new Map<number, string[]>()
    for (const s of top) {
      for (const lot of this.entryOf(s).lots.view()) {
        const list = suspectsOf.get(lot)
        const label = labelOf(s.dimension, s.key)
        if (list) list.push(label)
        else suspectsOf.set(lot, [label])
      }
    }
    const kept: number[] = []
    for (let i = 0; i < this.lots.size; i++) if (m.kept[i]) kept.push(i)
    kept.sort((a, b) => m.defects[b] - m.defects[a] || (this.lots.name(a) < this.lots.name(b) ? -1 : 1))
    const rows = kept.slice(offset, offset + limit).map((i): LotDetailRow => {
      const rejects: [string, number][] = []
      this.lots.forEachReject(i, (reason, qty) => {
        if (qty > 0) rejects.push([this.lots.string(reason)!, qty])
      })
      rejects.sort((a, b) => b[1] - a[1])
      return {
        CONTAINERID: this.lots.cid(i),
        CONTAINERNAME: this.lots.name(i),
        INPUT_QTY: m.input[i],
        DEFECT_QTY: m.defects[i],
        DEFECT_RATE: pct(m.defects[i], m.input[i]),
        DETECTION_MACHINE: this.lots.machine(i),
        TRACKINTIMESTAMP: this.lots.trackIn(i),
        PJ_TYPE: this.lots.string(this.lots.productTypeId(i)),
        PRODUCTLINENAME: this.lots.string(this.lots.productLineId(i)),
        REJECTS: rejects.map(([r, q]) => `${r}: ${q}`).join('; '),
        SUSPECTS: (suspectsOf.get(i) ?? []).join('; '),
      }
    })
    return { total: kept.length, rows }
  }

  /** One suspect under a filter: its numbers, its daily trend and the detection lots behind it (worst first). */
  suspectDetail(
    dimension: SuspectDimension,
    key: readonly (string | null)[],
    filter: AttributionFilter,
    maxLots: number,
  ): SuspectDetail | undefined {
    const entry = this.keys.get(dimension + '\u0000' + key.join('\u0000'))
    if (!entry) return undefined
    const m = this.measures(filter)
    const ranking = rankRates(m.rates)
    let totalInput = 0
    let totalDefects = 0
    for (let i = 0; i < this.lots.size; i++) {
      totalInput += m.input[i]
      totalDefects += m.defects[i]
    }
    const lots = [...entry.lots.view()].filter((i) => m.kept[i]).sort((a, b) => m.defects[b] - m.defects[a])
    return {
      suspect: this.suspect(entry, m, ranking, totalInput, totalDefects),
      daily_trend: this.daily(m, entry),
      lots: lots.slice(0, maxLots).map((i) => ({
        CONTAINERID: this.lots.cid(i),
        CONTAINERNAME: this.lots.name(i),
        INPUT_QTY: m.input[i],
        DEFECT_QTY: m.defects[i],
        DEFECT_RATE: pct(m.defects[i], m.input[i]),
        TRACKINTIMESTAMP: this.lots.trackIn(i),
      })),
      lot_count: lots.length,
    }
  }

  private entryOf(s: Suspect): KeyEntry {
    return this.keys.get(s.dimension + '\u0000' + s.key.join('\u0000'))!
  }

  private suspect(
    entry: KeyEntry,
    m: LotMeasures,
    ranking: ReturnType<typeof rankRates>,
    totalInput: number,
    totalDefects: number,
  ): Suspect {
    // One pass over typed arrays: a filter change re-scores every key (50 K keys, 6.7 M links at incident scale).
    let lots = 0
    let input = 0
    let defects = 0
    let ranked = 0
    let rankSum = 0
    const { kept, defects: lotDefects, input: lotInput } = m
    const ranks = ranking.ranks
    for (const lot of entry.lots.view()) {
      if (!kept[lot]) continue
      lots++
      input += lotInput[lot]
      defects += lotDefects[lot]
      const rank = ranks[lot]
      if (rank === rank) {
        ranked++
        rankSum += rank
      }
    }
    const inputOut = totalInput - input
    const defectsOut = totalDefects - defects
    const rateIn = input > 0 ? defects / input : 0
    const rateOut = inputOut > 0 ? defectsOut / inputOut : 0
    const lift = rateOut > 0 ? rateIn / rateOut : rateIn > 0 ? Number.POSITIVE_INFINITY : null
    const pValue = rankSumPValue(ranking, ranked, rankSum)
    const ci = wilsonInterval(defects, input)
    return {
      dimension: entry.dimension,
      key: entry.parts,
      detection_lot_count: lots,
      input_qty: input,
      defect_qty: defects,
      defect_rate: pct(defects, input),
      rate_elsewhere: pct(defectsOut, inputOut),
      // An infinite lift (no defects anywhere else) still scores, capped; JSON has no Infinity, so it shows as null.
      lift: lift !== null && Number.isFinite(lift) ? round4(lift) : null,
      rate_ci: ci ? [round4(100 * ci.low), round4(100 * ci.high)] : null,
      p_value: pValue,
      score: round4(suspicionScore(lift ?? 0, pValue)),
    }
  }

  private daily(m: LotMeasures, entry: KeyEntry | undefined): DailyPoint[] {
    const days = new Map<string, { input: number; defects: number }>()
    const add = (i: number): void => {
      if (!m.kept[i]) return
      const day = this.lots.trackIn(i).slice(0, 10)
      const d = days.get(day) ?? { input: 0, defects: 0 }
      d.input += m.input[i]
      d.defects += m.defects[i]
      days.set(day, d)
    }
    if (entry) for (const i of entry.lots.view()) add(i)
    else for (let i = 0; i < this.lots.size; i++) add(i)
    return [...days.entries()]
      .sort((a, b) => (a[0] < b[0] ? -1 : 1))
      .map(([day, d]) => ({ day, input_qty: d.input, defect_qty: d.defects, defect_rate: pct(d.defects, d.input) }))
  }
}
