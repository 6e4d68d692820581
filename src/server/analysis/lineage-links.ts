/**
 * Which detection lots each node of a genealogy is linked to: a lineage walk collector that keeps the edges
 * as small integers, pointing the way the walk went (to parents backward, to children forward), then links
 * every node to the detection lots it was reached from: backward, the ancestors of a detection lot; forward,
 * its descendants (a merged lot to each of its seeds). Memory is the nodes, the edges and Σ (nodes reached
 * from each detection lot), never an event row.
 */
import type { Direction } from '../../shared/domains.ts'
import type { LineageEdge } from '../../shared/responses.ts'
import type { ContainerRow } from '../pipeline/lineage-queries.ts'
import type { WalkCollector } from '../pipeline/lineage-walk.ts'

const NONE: readonly number[] = []

export class LineageLinks implements WalkCollector {
  private readonly index = new Map<string, number>()
  private readonly names: (string | null)[] = []
  /** Node → the nodes one step further from the seeds (parents backward, children forward). */
  private readonly next: (number[] | undefined)[] = []
  /** Node → the detection lots it leads to, built by `linkLots`. */
  private lotsByNode: (number[] | undefined)[] = []
  /** Detection lot → the names of its roots (its wafer lots; its leaves forward), built by `linkLots`. */
  private rootsByLot: string[][] = []

  constructor(private readonly direction: Direction = 'backward') {}

  private idOf(cid: string): number {
    let id = this.index.get(cid)
    if (id === undefined) {
      id = this.names.length
      this.index.set(cid, id)
      this.names.push(null)
      this.next.push(undefined)
    }
    return id
  }

  node(cid: string): void {
    this.idOf(cid)
  }

  edge(edge: LineageEdge): void {
    const near = this.idOf(this.direction === 'backward' ? edge.to : edge.from)
    const far = this.idOf(this.direction === 'backward' ? edge.from : edge.to)
    const list = (this.next[near] ??= [])
    if (!list.includes(far)) list.push(far)
  }

  row(row: ContainerRow): void {
    if (row.name !== null) this.names[this.idOf(row.cid)] = row.name
  }

  /**
   * Links every node to the detection lots it was reached from, given each detection lot's index by CID.
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
        const up = this.next[node] ?? NONE
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

  /** The detection lots a CID was reached from (itself included when it is one). */
  lotsOf(cid: string): readonly number[] {
    const id = this.index.get(cid)
    return (id === undefined ? undefined : this.lotsByNode[id]) ?? NONE
  }

  /** How many nodes are linked to a detection lot (the detection lots included), after `linkLots`. */
  linkedNodeCount(): number {
    let n = 0
    for (const lots of this.lotsByNode) if (lots !== undefined) n++
    return n
  }

  /** The roots of a detection lot's genealogy (itself when it has no parent). */
  rootsOf(lot: number): readonly string[] {
    return this.rootsByLot[lot] ?? NONE
  }
}
