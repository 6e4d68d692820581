/** The genealogy found so far: nodes with their BFS depth and container row, edges, wafer origins. */
import type { LineageEdge } from '../../shared/responses.ts'
import type { ContainerRow } from './lineage-queries.ts'

export class LineageGraph {
  /** CID → BFS level (seeds are 0). A node is added once, so a cycle never loops. */
  readonly depth = new Map<string, number>()
  /** CID → container row; absent for CIDs the container table does not hold. */
  readonly rows = new Map<string, ContainerRow>()
  /** CIDs whose row was already looked up (found or not). */
  readonly looked = new Set<string>()
  /** Nodes found as the wafer origin of another node. */
  readonly waferOrigins = new Set<string>()
  readonly edges: LineageEdge[] = []
  private readonly edgeKeys = new Set<string>()

  /** Adds a node at `depth`; false when it was already known (its first, smallest depth stays). */
  addNode(cid: string, depth: number): boolean {
    if (this.depth.has(cid)) return false
    this.depth.set(cid, depth)
    return true
  }

  /** Records an edge once. */
  addEdge(edge: LineageEdge): void {
    const key = `${edge.from}>${edge.to}>${edge.type}`
    if (this.edgeKeys.has(key)) return
    this.edgeKeys.add(key)
    this.edges.push(edge)
    if (edge.type === 'wafer_origin') this.waferOrigins.add(edge.from)
  }

  /** Caches a container row seen by any query, so it is not fetched again. */
  addRow(row: ContainerRow): void {
    this.rows.set(row.cid, row)
    this.looked.add(row.cid)
  }
}
