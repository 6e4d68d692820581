/**
 * A forward defect investigation inside a job: the detection lots (the seeds) are read first, the forward
 * lineage walk links every descendant to the seeds it came from, and every upstream_history and
 * downstream_rejects row after the detection station is tallied per workcenter group, per machine and per
 * detection reason × group, its rejects re-keyed to its seeds. Rows are never kept: the memory is the seeds,
 * the lineage links and one seed list per group and machine.
 */
import { DOMAIN_COLUMNS, type Domain } from '../../shared/domains.ts'
import {
  NO_DETECTION_REJECT,
  type ForwardAnalysisResult,
  type ForwardSeedRow,
  type ForwardStation,
} from '../../shared/defect-analysis.ts'
import { findWorkcenterGroup } from '../../shared/workcenter-groups.ts'
import { num, text } from '../pipeline/batching.ts'
import type { MsdWindow } from '../pipeline/seed-msd-queries.ts'
import type { StageOptions } from '../pipeline/stage-options.ts'
import type { MesSource } from '../source/mes-source.ts'
import { LotList, type DetectionLotFacts } from './defect-attribution.ts'
import { forEachDetectionLot } from './detection-facts.ts'
import { LineageLinks } from './lineage-links.ts'

const MACHINE_LIST_SIZE = 100
const SEED_LIST_SIZE = 50

const column = (domain: Domain, name: string): number => DOMAIN_COLUMNS[domain].indexOf(name)
const round4 = (x: number): number => Math.round(x * 1e4) / 1e4
const pct = (part: number, whole: number): number => (whole > 0 ? round4((100 * part) / whole) : 0)

/** What one downstream group or machine has seen of the genealogy. */
interface Tally {
  readonly group: string
  readonly machine?: string | null
  readonly seeds: LotList
  input: number
  rejects: number
  readonly byReason: Map<string, number>
}

/** The seed's largest reject reason at the detection station (ties by name), or NO_DETECTION_REJECT. */
function detectionReason(facts: DetectionLotFacts): string {
  let best: [string, number] | undefined
  for (const [reason, qty] of Object.entries(facts.rejects)) {
    if (qty > 0 && (!best || qty > best[1] || (qty === best[1] && reason < best[0]))) best = [reason, qty]
  }
  return best ? best[0] : NO_DETECTION_REJECT
}

export class ForwardAnalysis {
  /** The lineage walk's collector: pass it to the forward walk of the detection lots. */
  readonly links = new LineageLinks('forward')
  private readonly seeds: DetectionLotFacts[] = []
  private readonly seedIndex = new Map<string, number>()
  private reasons: string[] = []
  private seedRejects = new Float64Array(0)
  private readonly stations = new Map<string, Tally>()
  private readonly machines = new Map<string, Tally>()
  /** detection reason \0 group → reject qty. */
  private readonly crosstab = new Map<string, number>()
  private downstreamRejects = 0
  private readonly up = {
    cid: column('upstream_history', 'CONTAINERID'),
    group: column('upstream_history', 'WORKCENTER_GROUP'),
    name: column('upstream_history', 'EQUIPMENTNAME'),
    qty: column('upstream_history', 'TRACKINQTY'),
  }
  private readonly rej = {
    cid: column('downstream_rejects', 'CONTAINERID'),
    group: column('downstream_rejects', 'WORKCENTER_GROUP'),
    reason: column('downstream_rejects', 'LOSSREASONNAME'),
    name: column('downstream_rejects', 'EQUIPMENTNAME'),
    qty: column('downstream_rejects', 'REJECT_TOTAL_QTY'),
  }

  constructor(private readonly window: MsdWindow) {}

  /** Reads the detection lots of the window (before the lineage walk). */
  async loadDetections(source: MesSource, opts: StageOptions): Promise<void> {
    await forEachDetectionLot(source, this.window, opts, (facts) => this.addSeed(facts))
  }

  /** Adds a detection lot (once per CID). */
  addSeed(facts: DetectionLotFacts): void {
    if (this.seedIndex.has(facts.cid)) return
    this.seedIndex.set(facts.cid, this.seeds.length)
    this.seeds.push(facts)
  }

  /** Links the walked genealogy to the seeds (after the walk). */
  linkLineage(): void {
    this.links.linkLots((cid) => this.seedIndex.get(cid))
    this.reasons = this.seeds.map(detectionReason)
    this.seedRejects = new Float64Array(this.seeds.length)
  }

  /** Feeds one batch of event rows; only rows of groups after the detection station count. */
  add(domain: Domain, rows: readonly unknown[][]): void {
    if (domain === 'upstream_history') {
      for (const row of rows) {
        const group = this.downstreamGroup(row[this.up.group])
        if (group === null) continue
        const lots = this.links.lotsOf(String(row[this.up.cid]))
        if (lots.length === 0) continue
        const qty = num(row[this.up.qty]) ?? 0
        for (const t of this.tallies(group, text(row[this.up.name]))) {
          for (const lot of lots) t.seeds.push(lot)
          t.input += qty
        }
      }
    } else if (domain === 'downstream_rejects') {
      for (const row of rows) {
        const group = this.downstreamGroup(row[this.rej.group])
        if (group === null) continue
        const lots = this.links.lotsOf(String(row[this.rej.cid]))
        if (lots.length === 0) continue
        const qty = num(row[this.rej.qty]) ?? 0
        const reason = text(row[this.rej.reason]) ?? ''
        this.downstreamRejects += qty
        for (const t of this.tallies(group, text(row[this.rej.name]))) {
          for (const lot of lots) t.seeds.push(lot)
          t.rejects += qty
          t.byReason.set(reason, (t.byReason.get(reason) ?? 0) + qty)
        }
        // A merged lot's reject belongs to each of its seeds, but counts once per detection reason.
        const seen = new Set<string>()
        for (const lot of lots) {
          this.seedRejects[lot] += qty
          const key = this.reasons[lot] + '\u0000' + group
          if (seen.has(key)) continue
          seen.add(key)
          this.crosstab.set(key, (this.crosstab.get(key) ?? 0) + qty)
        }
      }
    }
  }

  /** The analysis so far. */
  result(): ForwardAnalysisResult {
    let input = 0
    let defects = 0
    for (const s of this.seeds) {
      input += s.inputQty
      for (const qty of Object.values(s.rejects)) defects += qty
    }
    const order = (g: string): number => findWorkcenterGroup(g)?.order ?? 999
    const stations = [...this.stations.values()].sort((a, b) => order(a.group) - order(b.group)).map(stationOf)
    const machines = [...this.machines.values()]
      .map(stationOf)
      .sort(
        (a, b) =>
          b.reject_qty - a.reject_qty ||
          b.lots_reached - a.lots_reached ||
          order(a.workcenter_group) - order(b.workcenter_group) ||
          ((a.equipment_name ?? '') < (b.equipment_name ?? '') ? -1 : 1),
      )
    return {
      direction: 'forward',
      kpi: {
        detection_lots: this.seeds.length,
        detection_defect_qty: defects,
        lots_tracked: this.links.linkedNodeCount(),
        stations_reached: this.stations.size,
        downstream_reject_qty: this.downstreamRejects,
        downstream_reject_rate: pct(this.downstreamRejects, input),
      },
      stations,
      machines: machines.slice(0, MACHINE_LIST_SIZE),
      crosstab: this.crosstabOf(stations.map((s) => s.workcenter_group)),
      seeds: this.seedRows(),
    }
  }

  private crosstabOf(groups: readonly string[]): ForwardAnalysisResult['crosstab'] {
    const totals = new Map<string, number>()
    for (const [key, qty] of this.crosstab) {
      const reason = key.slice(0, key.indexOf('\u0000'))
      totals.set(reason, (totals.get(reason) ?? 0) + qty)
    }
    const reasons = [...totals.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([r]) => r)
    return {
      detection_reasons: reasons,
      workcenter_groups: groups,
      cells: reasons.map((r) => groups.map((g) => this.crosstab.get(r + '\u0000' + g) ?? 0)),
    }
  }

  private seedRows(): ForwardSeedRow[] {
    const order = this.seeds.map((_, i) => i).filter((i) => this.seedRejects[i] > 0)
    order.sort(
      (a, b) => this.seedRejects[b] - this.seedRejects[a] || (this.seeds[a].name < this.seeds[b].name ? -1 : 1),
    )
    return order.slice(0, SEED_LIST_SIZE).map((i) => ({
      CONTAINERID: this.seeds[i].cid,
      CONTAINERNAME: this.seeds[i].name,
      DETECTION_REASON: this.reasons[i],
      DETECTION_DEFECT_QTY: Object.values(this.seeds[i].rejects).reduce((s, q) => s + q, 0),
      DOWNSTREAM_REJECT_QTY: this.seedRejects[i],
    }))
  }

  /** The group's name when it comes after the detection station in the route, else null. */
  private downstreamGroup(value: unknown): string | null {
    const name = text(value)
    const order = name === null ? undefined : findWorkcenterGroup(name)?.order
    return order !== undefined && order > this.window.group.order ? name : null
  }

  /** The tallies of a group and of one of its machines, created on first use. */
  private tallies(group: string, machine: string | null): [Tally, Tally] {
    const get = (map: Map<string, Tally>, key: string, m?: string | null): Tally => {
      let t = map.get(key)
      if (!t) {
        t = {
          group,
          ...(m === undefined ? {} : { machine: m }),
          seeds: new LotList(),
          input: 0,
          rejects: 0,
          byReason: new Map(),
        }
        map.set(key, t)
      }
      return t
    }
    return [get(this.stations, group), get(this.machines, group + '\u0000' + (machine ?? ''), machine)]
  }
}

function stationOf(t: Tally): ForwardStation {
  return {
    workcenter_group: t.group,
    ...(t.machine === undefined ? {} : { equipment_name: t.machine }),
    lots_reached: t.seeds.view().length,
    input_qty: t.input,
    reject_qty: t.rejects,
    reject_rate: pct(t.rejects, t.input),
    by_loss_reason: Object.fromEntries([...t.byReason.entries()].sort((a, b) => b[1] - a[1])),
  }
}
