/**
 * MSD aggregation: counts lots per machine, per material lot and per reject reason while rows stream past,
 * holding one counter per key (capped) and never a row. Distinct lots per key are counted without a set of
 * CIDs because streamDomain yields upstream_history, materials and downstream_rejects grouped by CID.
 */
import type { Direction, Domain } from '../../shared/domains.ts'
import { DOMAIN_COLUMNS } from '../../shared/domains.ts'
import type { MsdAggregation } from '../../shared/msd-aggregation.ts'
import { findWorkcenterGroup } from '../../shared/workcenter-groups.ts'
import { num, text } from './batching.ts'
import { oldSummary } from './msd-old-summary.ts'

export interface MsdAggregatorOptions {
  /** Entries kept per list in the result; default 50. */
  readonly topN?: number
  /** Distinct keys counted per summary before later keys are dropped; default 100,000. */
  readonly maxKeys?: number
}

export interface MsdAggregator {
  /** Feeds one yielded batch of a domain; domains other than the three MSD ones are ignored. */
  add(domain: Domain, rows: readonly unknown[][]): void
  /** The data of the `aggregation` line. */
  result(): MsdAggregation
}

interface Counter {
  readonly parts: readonly (string | null)[]
  lots: number
  qty: number
}

/** Counts distinct lots (and a quantity) per key, for rows that arrive grouped by CID. */
class KeyedCounter {
  private readonly counters = new Map<string, Counter>()
  private currentCid: string | null = null
  private readonly seenForCid = new Set<string>()
  truncated = false

  constructor(
    private readonly maxKeys: number,
    /** The first key part is a WORKCENTER_GROUP, ordered by group order on ties. */
    private readonly groupFirst: boolean,
  ) {}

  add(cid: string, parts: readonly (string | null)[], qty = 0): void {
    if (cid !== this.currentCid) {
      this.currentCid = cid
      this.seenForCid.clear()
    }
    const key = JSON.stringify(parts)
    let c = this.counters.get(key)
    if (!c) {
      if (this.counters.size >= this.maxKeys) {
        this.truncated = true
        return
      }
      c = { parts, lots: 0, qty: 0 }
      this.counters.set(key, c)
    }
    c.qty += qty
    if (!this.seenForCid.has(key)) {
      this.seenForCid.add(key)
      c.lots += 1
    }
  }

  /** Distinct keys counted (up to the cap). */
  get size(): number {
    return this.counters.size
  }

  /** Every counter, in no particular order. */
  all(): IterableIterator<Counter> {
    return this.counters.values()
  }

  /** The `n` largest by lots, then quantity, then workcenter-group order and names (stable everywhere). */
  top(n: number): Counter[] {
    const groupOrder = (g: string | null) =>
      this.groupFirst && g !== null ? (findWorkcenterGroup(g)?.order ?? 999) : 999
    const cmpText = (a: string | null, b: string | null) =>
      a === b ? 0 : a === null ? 1 : b === null ? -1 : a < b ? -1 : 1
    return [...this.counters.values()]
      .sort((a, b) => {
        if (a.lots !== b.lots) return b.lots - a.lots
        if (a.qty !== b.qty) return b.qty - a.qty
        const go = groupOrder(a.parts[0]) - groupOrder(b.parts[0])
        if (go !== 0) return go
        for (let i = 0; i < a.parts.length; i++) {
          const c = cmpText(a.parts[i], b.parts[i])
          if (c !== 0) return c
        }
        return 0
      })
      .slice(0, n)
  }
}

/** Counts distinct CIDs of a CID-grouped stream. */
class LotCounter {
  private last: string | null = null
  count = 0

  add(cid: string): void {
    if (cid !== this.last) {
      this.last = cid
      this.count += 1
    }
  }
}

const col = (domain: Domain, name: string): number => DOMAIN_COLUMNS[domain].indexOf(name)

const UP = {
  cid: col('upstream_history', 'CONTAINERID'),
  group: col('upstream_history', 'WORKCENTER_GROUP'),
  equipment: col('upstream_history', 'EQUIPMENTNAME'),
}
const MAT = {
  cid: col('materials', 'CONTAINERID'),
  part: col('materials', 'MATERIALPARTNAME'),
  lot: col('materials', 'MATERIALLOTNAME'),
}
const REJ = {
  cid: col('downstream_rejects', 'CONTAINERID'),
  group: col('downstream_rejects', 'WORKCENTER_GROUP'),
  reason: col('downstream_rejects', 'LOSSREASONNAME'),
  equipment: col('downstream_rejects', 'EQUIPMENTNAME'),
  qty: col('downstream_rejects', 'REJECT_TOTAL_QTY'),
  date: col('downstream_rejects', 'TXNDATE'),
}

/** Creates an aggregator for one MSD trace; its memory depends on distinct keys (capped), not on rows. */
export function createMsdAggregator(direction: Direction, options: MsdAggregatorOptions = {}): MsdAggregator {
  const topN = options.topN ?? 50
  const maxKeys = options.maxKeys ?? 100_000
  const machines = new KeyedCounter(maxKeys, true)
  const materials = new KeyedCounter(maxKeys, false)
  const reasons = new KeyedCounter(maxKeys, true)
  const rejectMachines = new KeyedCounter(maxKeys, true)
  const rejectDays = new KeyedCounter(maxKeys, false)
  let defectQty = 0
  const lots: Partial<Record<Domain, LotCounter>> = {}

  return {
    add(domain, rows) {
      if (domain !== 'upstream_history' && domain !== 'materials' && domain !== 'downstream_rejects') return
      const lotCounter = (lots[domain] ??= new LotCounter())
      for (const row of rows) {
        const cid = String(row[0])
        lotCounter.add(cid)
        // A row without a machine or material lot still counts as a lot, but names no suspect to rank.
        if (domain === 'upstream_history') {
          const equipment = text(row[UP.equipment])
          if (equipment !== null) machines.add(cid, [text(row[UP.group]), equipment])
        } else if (domain === 'materials') {
          const lot = text(row[MAT.lot])
          if (lot !== null) materials.add(cid, [text(row[MAT.part]), lot])
        } else {
          const qty = num(row[REJ.qty]) ?? 0
          const equipment = text(row[REJ.equipment])
          defectQty += qty
          reasons.add(cid, [text(row[REJ.group]), text(row[REJ.reason])], qty)
          if (equipment !== null) rejectMachines.add(cid, [text(row[REJ.group]), equipment], qty)
          const day = text(row[REJ.date])?.slice(0, 10) ?? null
          if (day !== null) rejectDays.add(cid, [day], qty)
        }
      }
    },
    result() {
      const lotCounts: Partial<Record<Domain, number>> = {}
      for (const [d, c] of Object.entries(lots) as [Domain, LotCounter][]) lotCounts[d] = c.count
      const ranked = {
        direction,
        top_n: topN,
        lots: lotCounts,
        machines: machines
          .top(topN)
          .map((c) => ({ workcenter_group: c.parts[0], equipment_name: c.parts[1], lots: c.lots })),
        materials: materials
          .top(topN)
          .map((c) => ({ material_part: c.parts[0], material_lot: c.parts[1], lots: c.lots })),
        reject_reasons: reasons.top(topN).map((c) => ({
          workcenter_group: c.parts[0],
          loss_reason: c.parts[1] ?? '',
          lots: c.lots,
          reject_qty: c.qty,
        })),
        reject_machines: rejectMachines
          .top(topN)
          .map((c) => ({ workcenter_group: c.parts[0], equipment_name: c.parts[1], lots: c.lots, reject_qty: c.qty })),
        truncated: [machines, materials, reasons, rejectMachines, rejectDays].some((k) => k.truncated),
      }
      const days = [...rejectDays.all()]
        .map((c) => ({ date: c.parts[0] ?? '', lot_count: c.lots, defect_qty: c.qty }))
        .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0))
      const lossReasons = [...new Set([...reasons.all()].map((c) => c.parts[1] ?? ''))].filter((r) => r !== '').sort()
      const counts = { machineKeys: machines.size, materialKeys: materials.size, defectQty, days, lossReasons }
      return { ...ranked, ...oldSummary(ranked, counts) }
    },
  }
}
