/**
 * The one genealogy traversal: breadth first, one level at a time, every lookup batched to
 * TRACE_IN_BATCH_SIZE ids. Backward follows the four edge types to parents, forward to children (splits,
 * reworks, merges downstream, wafer-origin children), both until no new node appears or LINEAGE_MAX_DEPTH
 * levels. What is kept of the walk is the collector's choice: the walk itself holds only the found CIDs
 * and the container rows of the batch it is expanding.
 */
import type { LineageEdge } from '../../shared/responses.ts'
import type { MesSource } from '../source/mes-source.ts'
import { chunks, collectRows, sortedUnique, text } from './batching.ts'
import { containersWhere, mergesWhere, toContainerRow, type ContainerRow } from './lineage-queries.ts'
import { containerParentEdges } from './lineage-rules.ts'
import type { StageOptions } from './stage-options.ts'

/** Receives what the walk finds; every callback is optional, so a collector keeps only what it needs. */
export interface WalkCollector {
  /** A node found for the first time, at BFS level `depth` (seeds are 0). */
  node?(cid: string, depth: number): void
  /** An edge between two found nodes; the same edge may be reported again. */
  edge?(edge: LineageEdge): void
  /** A container row fetched by any lookup (found node or not); may repeat for the same CID. */
  row?(row: ContainerRow): void
}

type Direction = 'forward' | 'backward'

/** One walk's state: the found CIDs (a node is added once, so a cycle never loops) and the batch's rows. */
class Walk {
  /** Every node found so far: the result's CID set. */
  readonly found = new Set<string>()
  /**
   * Container rows of the batch being expanded. Rows an edge lookup fetched for the next level are not
   * kept: a backward MSD trace of 500 K CIDs would hold ~70 K of them (about 20 MB) across a level, and
   * fetching them again by id costs one indexed query per batch.
   */
  readonly rows = new Map<string, ContainerRow>()

  constructor(
    private readonly source: MesSource,
    private readonly opts: StageOptions,
    private readonly collector: WalkCollector,
  ) {}

  addNode(cid: string, depth: number): boolean {
    if (this.found.has(cid)) return false
    this.found.add(cid)
    this.collector.node?.(cid, depth)
    return true
  }

  async containers(column: Parameters<typeof containersWhere>[0], values: readonly string[]): Promise<ContainerRow[]> {
    const out: ContainerRow[] = []
    for (const part of chunks(values, this.opts.config.TRACE_IN_BATCH_SIZE)) {
      for (const r of await collectRows(this.source, containersWhere(column, part), this.opts)) {
        const row = toContainerRow(r)
        if (!row) continue
        this.collector.row?.(row)
        out.push(row)
      }
    }
    return out
  }

  async loadRows(cids: readonly string[]): Promise<void> {
    for (const row of await this.containers('c.CONTAINERID', cids)) this.rows.set(row.cid, row)
  }

  async merges(by: 'source' | 'target', cids: readonly string[]): Promise<LineageEdge[]> {
    const edges: LineageEdge[] = []
    for (const r of await collectRows(this.source, mergesWhere(by, cids), this.opts)) {
      const from = text(r[0])
      const to = text(r[1])
      if (from && to && from !== to) edges.push({ from, to, type: 'merge_source' })
    }
    return edges
  }

  async parentEdges(batch: readonly string[]): Promise<LineageEdge[]> {
    const edges: LineageEdge[] = []
    for (const cid of batch) {
      const row = this.rows.get(cid)
      if (row) edges.push(...containerParentEdges(row))
    }
    edges.push(...(await this.merges('target', batch)))
    const byFirstName = groupBy(batch, (cid) => this.rows.get(cid)?.firstName ?? null)
    for (const origin of await this.containers('c.CONTAINERNAME', [...byFirstName.keys()])) {
      for (const child of byFirstName.get(origin.name ?? '') ?? []) {
        if (child !== origin.cid) edges.push({ from: origin.cid, to: child, type: 'wafer_origin' })
      }
    }
    return edges
  }

  async childEdges(batch: readonly string[]): Promise<LineageEdge[]> {
    const inBatch = new Set(batch)
    const edges: LineageEdge[] = []
    const candidates = [
      ...(await this.containers('c.SPLITFROMID', batch)),
      ...(await this.containers('c.ORIGINALCONTAINERID', batch)),
    ]
    // A candidate is a child only through the edges its own row defines (ORIGINALCONTAINERID counts for GD lots).
    for (const child of candidates) for (const e of containerParentEdges(child)) if (inBatch.has(e.from)) edges.push(e)
    edges.push(...(await this.merges('source', batch)))
    const lotsByName = groupBy(batch, (cid) => {
      const row = this.rows.get(cid)
      return row?.objectType === 'LOT' ? row.name : null
    })
    for (const child of await this.containers('c.FIRSTNAME', [...lotsByName.keys()])) {
      for (const origin of lotsByName.get(child.firstName ?? '') ?? []) {
        if (origin !== child.cid) edges.push({ from: origin, to: child.cid, type: 'wafer_origin' })
      }
    }
    return edges
  }

  /** Drops the rows of an expanded batch. */
  forget(): void {
    this.rows.clear()
  }
}

/** CIDs grouped by a key (e.g. FIRSTNAME → the nodes that carry it). */
function groupBy(cids: readonly string[], key: (cid: string) => string | null): Map<string, string[]> {
  const out = new Map<string, string[]>()
  for (const cid of cids) {
    const k = key(cid)
    if (k === null) continue
    const list = out.get(k)
    if (list) list.push(cid)
    else out.set(k, [cid])
  }
  return out
}

/**
 * Walks from the seeds (depth 0) until no new node appears or `maxDepth` levels were expanded, telling
 * `collector` every node, edge between found nodes and container row on the way; the rows of every node
 * are fetched. Returns the found CIDs (seeds included), unordered. A node is expanded once, so cycles end.
 */
export async function walkLineage(
  source: MesSource,
  opts: StageOptions,
  seeds: readonly string[],
  direction: Direction,
  maxDepth: number,
  collector: WalkCollector = {},
): Promise<Set<string>> {
  const walk = new Walk(source, opts, collector)
  let frontier = sortedUnique(seeds)
  for (const s of frontier) walk.addNode(s, 0)
  for (let depth = 0; frontier.length > 0; depth++) {
    const next: string[] = []
    for (const batch of chunks(frontier, opts.config.TRACE_IN_BATCH_SIZE)) {
      opts.signal?.throwIfAborted()
      // Rows are loaded batch by batch and dropped once the batch is expanded: a 100 K-seed level never sits in memory.
      await walk.loadRows(batch)
      if (depth < maxDepth) {
        const edges = direction === 'backward' ? await walk.parentEdges(batch) : await walk.childEdges(batch)
        for (const e of edges) {
          collector.edge?.(e)
          const found = direction === 'backward' ? e.from : e.to
          if (walk.addNode(found, depth + 1)) next.push(found)
        }
      }
      walk.forget()
    }
    frontier = next.sort()
  }
  return walk.found
}
