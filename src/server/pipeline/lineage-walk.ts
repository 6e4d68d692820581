/**
 * Breadth-first genealogy walks, one level at a time, every lookup batched to TRACE_IN_BATCH_SIZE ids.
 * Backward follows the four edge types to parents, forward to children (splits, reworks, merges
 * downstream, wafer-origin children), both until no new node appears or LINEAGE_MAX_DEPTH levels.
 */
import type { LineageEdge } from '../../shared/responses.ts'
import type { MesSource } from '../source/mes-source.ts'
import { chunks, collectRows, sortedUnique, text } from './batching.ts'
import type { LineageGraph } from './lineage-graph.ts'
import { containersWhere, mergesWhere, toContainerRow, type ContainerRow } from './lineage-queries.ts'
import { containerParentEdges } from './lineage-rules.ts'
import type { StageOptions } from './stage-options.ts'

/** What a walk needs: the source, options whose signal includes the lineage timeout, and the graph. */
export interface WalkContext {
  readonly source: MesSource
  readonly opts: StageOptions
  readonly graph: LineageGraph
}

type Direction = 'forward' | 'backward'

async function containers(ctx: WalkContext, column: Parameters<typeof containersWhere>[0], values: readonly string[]): Promise<ContainerRow[]> {
  const out: ContainerRow[] = []
  for (const part of chunks(values, ctx.opts.config.TRACE_IN_BATCH_SIZE)) {
    for (const r of await collectRows(ctx.source, containersWhere(column, part), ctx.opts)) {
      const row = toContainerRow(r)
      if (row) {
        ctx.graph.addRow(row)
        out.push(row)
      }
    }
  }
  return out
}

async function loadRows(ctx: WalkContext, cids: readonly string[]): Promise<void> {
  const missing = cids.filter((c) => !ctx.graph.looked.has(c))
  await containers(ctx, 'c.CONTAINERID', missing)
  for (const c of missing) ctx.graph.looked.add(c)
}

async function merges(ctx: WalkContext, by: 'source' | 'target', cids: readonly string[]): Promise<LineageEdge[]> {
  const rows = await collectRows(ctx.source, mergesWhere(by, cids), ctx.opts)
  const edges: LineageEdge[] = []
  for (const r of rows) {
    const from = text(r[0])
    const to = text(r[1])
    if (from && to && from !== to) edges.push({ from, to, type: 'merge_source' })
  }
  return edges
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

async function parentEdges(ctx: WalkContext, batch: readonly string[]): Promise<LineageEdge[]> {
  const { graph } = ctx
  const edges: LineageEdge[] = []
  for (const cid of batch) {
    const row = graph.rows.get(cid)
    if (row) edges.push(...containerParentEdges(row))
  }
  edges.push(...(await merges(ctx, 'target', batch)))
  const byFirstName = groupBy(batch, (cid) => graph.rows.get(cid)?.firstName ?? null)
  for (const origin of await containers(ctx, 'c.CONTAINERNAME', [...byFirstName.keys()])) {
    for (const child of byFirstName.get(origin.name ?? '') ?? []) {
      if (child !== origin.cid) edges.push({ from: origin.cid, to: child, type: 'wafer_origin' })
    }
  }
  return edges
}

async function childEdges(ctx: WalkContext, batch: readonly string[]): Promise<LineageEdge[]> {
  const { graph } = ctx
  const inBatch = new Set(batch)
  const edges: LineageEdge[] = []
  const candidates = [
    ...(await containers(ctx, 'c.SPLITFROMID', batch)),
    ...(await containers(ctx, 'c.ORIGINALCONTAINERID', batch)),
  ]
  // A candidate is a child only through the edges its own row defines (ORIGINALCONTAINERID counts for GD lots).
  for (const child of candidates) for (const e of containerParentEdges(child)) if (inBatch.has(e.from)) edges.push(e)
  edges.push(...(await merges(ctx, 'source', batch)))
  const lotsByName = groupBy(batch, (cid) => {
    const row = graph.rows.get(cid)
    return row?.objectType === 'LOT' ? row.name : null
  })
  for (const child of await containers(ctx, 'c.FIRSTNAME', [...lotsByName.keys()])) {
    for (const origin of lotsByName.get(child.firstName ?? '') ?? []) {
      if (origin !== child.cid) edges.push({ from: origin, to: child.cid, type: 'wafer_origin' })
    }
  }
  return edges
}

/**
 * Walks from the seeds (depth 0) until no new node appears or `maxDepth` levels were expanded. Every edge
 * between found nodes is kept; a node is expanded once, so cycles end. Rows of every node are loaded.
 */
export async function walk(ctx: WalkContext, seeds: readonly string[], direction: Direction, maxDepth: number): Promise<void> {
  const { graph, opts } = ctx
  let frontier = sortedUnique(seeds)
  for (const s of frontier) graph.addNode(s, 0)
  for (let depth = 0; frontier.length > 0; depth++) {
    opts.signal?.throwIfAborted()
    await loadRows(ctx, frontier)
    if (depth === maxDepth) break
    const next: string[] = []
    for (const batch of chunks(frontier, opts.config.TRACE_IN_BATCH_SIZE)) {
      const edges = direction === 'backward' ? await parentEdges(ctx, batch) : await childEdges(ctx, batch)
      for (const e of edges) {
        graph.addEdge(e)
        const found = direction === 'backward' ? e.from : e.to
        if (graph.addNode(found, depth + 1)) next.push(found)
      }
    }
    frontier = next.sort()
  }
}
