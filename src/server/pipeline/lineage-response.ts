/** Turns a walked LineageGraph into the forward or backward response shape of src/shared/responses.ts. */
import type { BackwardLineageResponse, ForwardLineageResponse, LineageNode } from '../../shared/responses.ts'
import type { LineageGraph } from './lineage-graph.ts'
import { nodeType } from './lineage-rules.ts'

type Common = Pick<ForwardLineageResponse, 'names' | 'nodes' | 'edges' | 'total_nodes' | 'serials'>

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)

/** CID → its sorted serials, keys in CID order. */
function serialRecord(
  serials: ReadonlyMap<string, readonly string[]>,
  keep: (cid: string) => boolean = () => true,
): Record<string, string[]> {
  const out: Record<string, string[]> = {}
  for (const [cid, list] of [...serials].sort((a, b) => cmp(a[0], b[0]))) if (keep(cid)) out[cid] = [...list].sort()
  return out
}

function common(graph: LineageGraph, serials: ReadonlyMap<string, readonly string[]>): Common {
  const nodes: LineageNode[] = []
  for (const [cid, depth] of graph.depth) {
    const row = graph.rows.get(cid)
    nodes.push({
      container_id: cid,
      container_name: row?.name ?? cid,
      node_type: nodeType(row, graph.waferOrigins.has(cid)),
      mfg_order: row?.order ?? null,
      depth,
    })
  }
  nodes.sort((a, b) => a.depth - b.depth || cmp(a.container_id, b.container_id))
  const names: Record<string, string> = {}
  for (const n of nodes) names[n.container_id] = n.container_name
  const edges = [...graph.edges].sort((a, b) => cmp(a.from, b.from) || cmp(a.to, b.to) || cmp(a.type, b.type))
  return { names, nodes, edges, total_nodes: nodes.length, serials: serialRecord(serials) }
}

/** from → sorted unique to (children map), or to → from (parent map). */
function adjacency(graph: LineageGraph, key: 'from' | 'to'): Map<string, string[]> {
  const sets = new Map<string, Set<string>>()
  for (const e of graph.edges) {
    const k = e[key]
    const v = key === 'from' ? e.to : e.from
    let s = sets.get(k)
    if (!s) sets.set(k, (s = new Set()))
    s.add(v)
  }
  const out = new Map<string, string[]>()
  for (const k of [...sets.keys()].sort()) out.set(k, [...sets.get(k)!].sort())
  return out
}

/** Every node reachable from `start` (excluded) with its distance, breadth first. */
function reachable(start: string, adj: Map<string, string[]>): Map<string, number> {
  const dist = new Map<string, number>([[start, 0]])
  let level = [start]
  for (let d = 1; level.length > 0; d++) {
    const next: string[] = []
    for (const n of level) {
      for (const m of adj.get(n) ?? []) {
        if (dist.has(m)) continue
        dist.set(m, d)
        next.push(m)
      }
    }
    level = next
  }
  dist.delete(start)
  return dist
}

/**
 * Backward shape. A seed's root is its farthest ancestor that has no parent (farthest of all when a cycle
 * leaves none; ties: smallest CID), the seed itself when it has no ancestor: deterministic whatever order
 * the database returned rows in.
 */
export function backwardResponse(
  graph: LineageGraph,
  seeds: readonly string[],
  serials: ReadonlyMap<string, readonly string[]>,
  lineageQueryId: string,
): BackwardLineageResponse {
  const parents = adjacency(graph, 'to')
  const ancestors: Record<string, string[]> = {}
  const seedRoots: Record<string, string> = {}
  const all = new Set<string>()
  for (const seed of seeds) {
    const dist = reachable(seed, parents)
    let root = seed
    let best = { top: false, d: 0 }
    for (const [cid, d] of dist) {
      all.add(cid)
      const top = !parents.has(cid)
      const better = top !== best.top ? top : d !== best.d ? d > best.d : cid < root
      if (better) {
        root = cid
        best = { top, d }
      }
    }
    ancestors[seed] = [...dist.keys()].sort()
    seedRoots[seed] = root
  }
  return {
    stage: 'lineage',
    direction: 'backward',
    ...common(graph, serials),
    ancestors,
    parent_map: Object.fromEntries(parents),
    seed_roots: seedRoots,
    total_ancestor_count: all.size,
    lineage_query_id: lineageQueryId,
  }
}

/**
 * Forward shape. Roots are the seeds no other found node leads to, plus (in CID order) any seed still
 * unreached from those, which only a cycle among seeds can cause. `leaf_serials` keeps its old meaning (the
 * serials of nodes without children); `serials` holds those of every node.
 */
export function forwardResponse(
  graph: LineageGraph,
  seeds: readonly string[],
  serials: ReadonlyMap<string, readonly string[]>,
  lineageQueryId: string,
): ForwardLineageResponse {
  const children = adjacency(graph, 'from')
  const hasParent = new Set(graph.edges.map((e) => e.to))
  const roots = seeds.filter((s) => !hasParent.has(s))
  const reached = new Set<string>()
  // One shared visited set: marking stays O(nodes + edges) however many roots share descendants.
  const mark = (root: string) => {
    reached.add(root)
    const stack = [root]
    for (let n = stack.pop(); n !== undefined; n = stack.pop()) {
      for (const m of children.get(n) ?? []) {
        if (reached.has(m)) continue
        reached.add(m)
        stack.push(m)
      }
    }
  }
  roots.forEach(mark)
  for (const s of seeds) {
    if (reached.has(s)) continue
    roots.push(s)
    mark(s)
  }
  return {
    stage: 'lineage',
    direction: 'forward',
    ...common(graph, serials),
    roots: roots.sort(),
    children_map: Object.fromEntries(children),
    leaf_serials: serialRecord(serials, (cid) => !children.has(cid)),
    lineage_query_id: lineageQueryId,
  }
}
