/**
 * Which detection lots each node of a backward genealogy leads to: a lineage walk collector that keeps the
 * parent edges as small integers, then links every ancestor to the detection lots below it. Memory is the
 * nodes, the edges and Σ (ancestors of each detection lot), never an event row.
 */
import type { LineageEdge } from '../../shared/responses.ts'
import type { ContainerRow } from '../pipeline/lineage-queries.ts'
import type { WalkCollector } from '../pipeline/lineage-walk.ts'

const NONE: readonly number[] = []

export class LineageLinks implements WalkCollector {
  private readonly index = new Map<string, number>()
  private readonly names: (string | null)[] = []
  private readonly parents: (number[] | undefined)[] = []
  /** Node → the detection lots it leads to, built by `linkLots`. */
  private lotsByNode: (number[] | undefined)[] = []
  /** Detection lot → the names of its roots (its wafer lots), built by `linkLots`. */
  private rootsByLot: string[][] = []

  private idOf(cid: string): number {
    let id = this.index.get(cid)
    if (id === undefined) {
      id = this.names.length
      this.index.set(cid, id)
      this.names.push(null)
      this.parents.push(undefined)
    }
    return id
  }

  node(cid: string): void {
    this.idOf(cid)
  }

  edge(edge: LineageEdge): void {
    const child = this.idOf(edge.to)
    const parent = this.idOf(edge.from)
    const list = (this.parents[child] ??= [])
    if (!list.includes(parent)) list.push(parent)
  }

  row(row: ContainerRow): void {
    if (row.name !== null) this.names[this.idOf(row.cid)] = row.name
  }

  /**
   * Links every node to the detection lots it is (an ancestor of), given each detection lot's index by CID.
   * A cycle in bad data is walked once per lot.
   */
  linkLots(lotOf: (cid: string) => number | undefined): void {
    this.lotsByNode = new Array(this.names.length)
    this.rootsByLot = []
    for (const [cid, start] of this.index) {
      const lot = lotOf(cid)
      if (lot === undefined) continue
      const roots: string[] = []
      const seen = new Set<number>([start])
      const stack = [start]
      while (stack.length > 0) {
        const node = stack.pop()!
        const lots = (this.lotsByNode[node] ??= [])
        if (lots[lots.length - 1] !== lot) lots.push(lot)
        const up = this.parents[node] ?? NONE
        if (up.length === 0) roots.push(this.names[node] ?? cid)
        for (const p of up) {
          if (!seen.has(p)) {
            seen.add(p)
            stack.push(p)
          }
        }
      }
      this.rootsByLot[lot] = roots.sort()
    }
  }

  /** The detection lots a CID leads to (itself included when it is one). */
  lotsOf(cid: string): readonly number[] {
    const id = this.index.get(cid)
    return (id === undefined ? undefined : this.lotsByNode[id]) ?? NONE
  }

  /** The roots of a detection lot's genealogy (itself when it has no parent). */
  rootsOf(lot: number): readonly string[] {
    return this.rootsByLot[lot] ?? NONE
  }
}
