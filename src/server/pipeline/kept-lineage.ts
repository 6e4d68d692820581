/**
 * The genealogy a whole-trace job keeps from its one lineage walk, bounded: it collects the graph beside the
 * CIDs only while the family has at most `maxNodes` containers and drops it past that (so a 100 K+ family costs
 * no more than the CID walk does), then builds the same response POST /api/trace/lineage answers.
 */
import type { JobLineage } from '../../shared/responses.ts'
import type { MesSource } from '../source/mes-source.ts'
import { sortedUnique } from './batching.ts'
import { lineageFromGraph, type LineageInput } from './lineage.ts'
import { LineageGraph } from './lineage-graph.ts'
import type { LineageEdge } from '../../shared/responses.ts'
import type { ContainerRow } from './lineage-queries.ts'
import type { WalkCollector } from './lineage-walk.ts'
import type { StageOptions } from './stage-options.ts'

/** A walk collector that keeps the graph up to `maxNodes` nodes and passes everything on to `inner`. */
export class KeptLineage implements WalkCollector {
  private graph: LineageGraph | null = new LineageGraph()
  private nodes = 0

  constructor(
    private readonly maxNodes: number,
    private readonly inner: WalkCollector = {},
  ) {}

  node(cid: string, depth: number): void {
    this.inner.node?.(cid, depth)
    this.nodes++
    if (this.nodes > this.maxNodes) this.graph = null
    this.graph?.node(cid, depth)
  }

  edge(edge: LineageEdge): void {
    this.inner.edge?.(edge)
    this.graph?.edge(edge)
  }

  row(row: ContainerRow): void {
    this.inner.row?.(row)
    this.graph?.row(row)
  }

  /** What the job keeps once the walk is over: the full genealogy, or the counts of a family too big. */
  async result(source: MesSource, input: LineageInput, opts: StageOptions): Promise<JobLineage> {
    const seeds = sortedUnique(input.seeds)
    const counts = { total_nodes: this.nodes, seed_count: seeds.length, max_nodes: this.maxNodes }
    if (!this.graph) return { ...counts, seed_ids: [], lineage: null }
    const lineage = await lineageFromGraph(source, this.graph, { ...input, seeds }, opts)
    this.graph = null
    return { ...counts, seed_ids: seeds, lineage }
  }
}
