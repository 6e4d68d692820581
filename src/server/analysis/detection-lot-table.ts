/**
 * The detection lots of a defect analysis in columns: the strings that repeat (machines, product types and
 * lines, loss reasons) interned once, the numbers in flat arrays, each lot's rejects as a run of (reason,
 * quantity) pairs. No object per lot: 100 K+ lots at incident scale cost a few MB instead of one record and
 * one rejects map each, and the columns are written to and restored from the stored state as they are.
 */
import type { DetectionLotFacts } from './defect-attribution.ts'

/** Column types: growable arrays while the job builds the table, typed arrays once restored. */
export interface LotColumns {
  /** Interned strings; the id columns below index them, -1 for null. */
  readonly strings: readonly string[]
  readonly cids: readonly string[]
  readonly names: readonly string[]
  readonly trackIns: readonly string[]
  readonly machine: ArrayLike<number>
  readonly productType: ArrayLike<number>
  readonly productLine: ArrayLike<number>
  readonly inputQty: ArrayLike<number>
  /** Lot i's rejects are pairs rejectStart[i] … rejectStart[i + 1] - 1 (length lots + 1). */
  readonly rejectStart: ArrayLike<number>
  readonly rejectReason: ArrayLike<number>
  readonly rejectQty: ArrayLike<number>
}

export class DetectionLotTable {
  private readonly ids = new Map<string, number>()

  private constructor(private readonly cols: LotColumns) {
    cols.strings.forEach((s, i) => this.ids.set(s, i))
  }

  static empty(): DetectionLotTable {
    return new DetectionLotTable({
      strings: [],
      cids: [],
      names: [],
      trackIns: [],
      machine: [],
      productType: [],
      productLine: [],
      inputQty: [],
      rejectStart: [0],
      rejectReason: [],
      rejectQty: [],
    })
  }

  static of(cols: LotColumns): DetectionLotTable {
    return new DetectionLotTable(cols)
  }

  get columns(): LotColumns {
    return this.cols
  }

  get size(): number {
    return this.cols.cids.length
  }

  /** The id of an interned string (interned on first sight), -1 for null. */
  intern(value: string | null): number {
    if (value === null) return -1
    let id = this.ids.get(value)
    if (id === undefined) {
      id = this.cols.strings.length
      ;(this.cols.strings as string[]).push(value)
      this.ids.set(value, id)
    }
    return id
  }

  /** The id of a string already seen. */
  idOf(value: string): number | undefined {
    return this.ids.get(value)
  }

  string(id: number): string | null {
    return id < 0 ? null : this.cols.strings[id]
  }

  /** Appends a lot; only on a table built by `empty()`. */
  add(facts: DetectionLotFacts): number {
    const c = this.cols as unknown as { [K in keyof LotColumns]: K extends 'strings' ? string[] : unknown[] }
    const index = c.cids.length
    c.cids.push(facts.cid)
    c.names.push(facts.name)
    c.trackIns.push(facts.trackIn)
    c.machine.push(this.intern(facts.machine))
    c.productType.push(this.intern(facts.productType))
    c.productLine.push(this.intern(facts.productLine))
    c.inputQty.push(facts.inputQty)
    for (const [reason, qty] of Object.entries(facts.rejects)) {
      c.rejectReason.push(this.intern(reason))
      c.rejectQty.push(qty)
    }
    c.rejectStart.push(c.rejectReason.length)
    return index
  }

  cid(lot: number): string {
    return this.cols.cids[lot]
  }

  name(lot: number): string {
    return this.cols.names[lot]
  }

  trackIn(lot: number): string {
    return this.cols.trackIns[lot]
  }

  inputQty(lot: number): number {
    return this.cols.inputQty[lot]
  }

  machine(lot: number): string | null {
    return this.string(this.cols.machine[lot])
  }

  productTypeId(lot: number): number {
    return this.cols.productType[lot]
  }

  productLineId(lot: number): number {
    return this.cols.productLine[lot]
  }

  /** Calls `fn` with each (reason id, quantity) of a lot's rejects. */
  forEachReject(lot: number, fn: (reason: number, qty: number) => void): void {
    const { rejectStart, rejectReason, rejectQty } = this.cols
    for (let k = rejectStart[lot]; k < rejectStart[lot + 1]; k++) fn(rejectReason[k], rejectQty[k])
  }
}
