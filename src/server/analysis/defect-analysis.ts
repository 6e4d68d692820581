/**
 * A backward defect investigation inside a job: the detection lots' facts are read first, the lineage walk
 * records which ancestors lead to which detection lot, and every upstream_history and materials row that
 * streams past links its machine or material lot to those lots. Rows are never kept: the memory is the
 * lots, the lineage links and one lot list per machine, material lot and wafer root.
 */
import { DOMAIN_COLUMNS, type Domain } from '../../shared/domains.ts'
import { findWorkcenterGroup } from '../../shared/workcenter-groups.ts'
import { text } from '../pipeline/batching.ts'
import type { MsdWindow } from '../pipeline/seed-msd-queries.ts'
import type { StageOptions } from '../pipeline/stage-options.ts'
import type { MesSource } from '../source/mes-source.ts'
import { DefectAttribution } from './defect-attribution.ts'
import { forEachDetectionLot } from './detection-facts.ts'
import { LineageLinks } from './lineage-links.ts'

const column = (domain: Domain, name: string): number => DOMAIN_COLUMNS[domain].indexOf(name)

export class DefectAnalysis {
  readonly attribution: DefectAttribution
  /** The lineage walk's collector: pass it to the backward walk of the detection lots. */
  readonly links = new LineageLinks()
  private readonly up = {
    cid: column('upstream_history', 'CONTAINERID'),
    group: column('upstream_history', 'WORKCENTER_GROUP'),
    id: column('upstream_history', 'EQUIPMENTID'),
    name: column('upstream_history', 'EQUIPMENTNAME'),
  }
  private readonly mat = {
    cid: column('materials', 'CONTAINERID'),
    part: column('materials', 'MATERIALPARTNAME'),
    lot: column('materials', 'MATERIALLOTNAME'),
  }

  constructor(private readonly window: MsdWindow) {
    this.attribution = new DefectAttribution({ start: window.start, end: window.end })
  }

  /** Reads the detection lots of the window (before the lineage walk). */
  async loadDetections(source: MesSource, opts: StageOptions): Promise<void> {
    await forEachDetectionLot(source, this.window, opts, (facts) => this.attribution.addLot(facts))
  }

  /** Links the walked genealogy to the detection lots, and each lot to its wafer roots (after the walk). */
  linkLineage(): void {
    this.links.linkLots((cid) => this.attribution.lotIndex(cid))
    for (let lot = 0; lot < this.attribution.lotCount; lot++) {
      for (const root of this.links.rootsOf(lot)) this.attribution.link('wafer_root', [root], [lot])
    }
  }

  /** Feeds one batch of event rows; only machines upstream of the detection station become suspects. */
  add(domain: Domain, rows: readonly unknown[][]): void {
    if (domain === 'upstream_history') {
      for (const row of rows) {
        const name = text(row[this.up.name])
        const group = text(row[this.up.group])
        if (name === null || !this.isUpstream(group)) continue
        const lots = this.links.lotsOf(String(row[this.up.cid]))
        if (lots.length > 0) this.attribution.link('machine', [group, name, text(row[this.up.id])], lots)
      }
    } else if (domain === 'materials') {
      for (const row of rows) {
        const lot = text(row[this.mat.lot])
        if (lot === null) continue
        const lots = this.links.lotsOf(String(row[this.mat.cid]))
        if (lots.length > 0) this.attribution.link('material', [text(row[this.mat.part]), lot], lots)
      }
    }
  }

  private isUpstream(group: string | null): boolean {
    const order = group === null ? undefined : findWorkcenterGroup(group)?.order
    return order !== undefined && order < this.window.group.order
  }
}
