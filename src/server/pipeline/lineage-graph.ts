/**
 * The walk collector behind the full lineage response: every node with its BFS depth and container row,
 * every edge, the wafer origins. The job path, which needs only CIDs, does not use it.
 */
import type { LineageEdge } from '../../shared/responses.ts'
import type { ContainerRow } from './lineage-queries.ts'
import type { WalkCollector } from './lineage-walk.ts'

export class LineageGraph implements WalkCollector {
  /** CID → BFS level (seeds are 0), in the order nodes were found. */
  readonly depth = new Map<string, number>()
  /** CID → container row; absent for CIDs the container table does not hold. */
  readonly rows = new Map<string, ContainerRow>()
  /** Nodes found as the wafer origin of another node. */
  readonly waferOrigins = new Set<string>()
  readonly edges: LineageEdge[] = []
  private readonly edgeKeys = new Set<string>()

  /** Records a node at its first (smallest) depth; the walk reports each node once. */
  node(cid: string, depth: number): void {
    if (!this.depth.has(cid)) this.depth.set(cid, depth)
  }

  /** Records an edge once. */
  edge(edge: LineageEdge): void {
    const key = `${edge.from}>${edge.to}>${edge.type}`
    if (this.edgeKeys.has(key)) return
    this.edgeKeys.add(key)
    this.edges.push(edge)
    if (edge.type === 'wafer_origin') this.waferOrigins.add(edge.from)
  }

  /** Keeps every container row seen, for names, orders and node types. */
  row(row: ContainerRow): void {
    this.rows.set(row.cid, row)
  }
}
