/**
 * The old dashboard's trace client, as its pages call the API: seed-resolve → lineage → events with the old
 * request forms and no row-shape parameter, the family collected from `children_map` / `ancestors`, a 202
 * followed by polling `status_url` and reading `stream_url` into `results[domain].data` (objects), and an
 * `{success, data}` envelope unwrapped when present. Kept apart so the contract test reads as the old page runs.
 */
type Fetch = (path: string, init?: RequestInit) => Response | Promise<Response>

type Json = Record<string, unknown>

export interface OldStageResults {
  seed: Json
  lineage: Json | null
  events: {
    results: Record<string, { data: Json[]; count: number }>
    aggregation: unknown
    [key: string]: unknown
  } | null
  /** The async job the events call turned into, if it did. */
  job_id: string | null
  /** What the page showed while it polled an async job. */
  polls: { status: string; elapsed_seconds: number; progress: unknown }[]
}

const PROFILE_DOMAINS: Record<string, string[]> = {
  query_tool: ['history', 'materials', 'rejects', 'holds', 'jobs'],
  mid_section_defect: ['upstream_history', 'materials'],
  mid_section_defect_forward: ['upstream_history', 'downstream_rejects'],
}

function unwrap(body: unknown): Json {
  const b = body as Json
  return b && b.success === true && 'data' in b ? (b.data as Json) : b
}

async function post(fetch: Fetch, path: string, body: unknown): Promise<{ status: number; body: Json }> {
  const res = await fetch(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify(body),
  })
  const json = unwrap(JSON.parse(await res.text()))
  if (!res.ok) throw new Error(`${path} answered ${res.status}: ${JSON.stringify(json)}`)
  return { status: res.status, body: json }
}

function seedIds(seed: Json): string[] {
  const direct = Array.isArray(seed.seed_container_ids) ? (seed.seed_container_ids as string[]) : []
  if (direct.length > 0) return [...new Set(direct)]
  return [...new Set(((seed.seeds as Json[] | undefined) ?? []).map((s) => String(s.container_id)))]
}

function family(seeds: string[], lineage: Json, direction: string): string[] {
  const seen = new Set(seeds)
  if (direction === 'forward') {
    const children = (lineage.children_map ?? {}) as Record<string, string[]>
    const queue = [...seeds]
    while (queue.length > 0) {
      for (const child of children[queue.shift() as string] ?? []) {
        if (!seen.has(child)) {
          seen.add(child)
          queue.push(child)
        }
      }
    }
  } else {
    for (const ids of Object.values((lineage.ancestors ?? {}) as Record<string, string[]>))
      for (const id of ids) seen.add(id)
  }
  return [...seen]
}

async function readStream(fetch: Fetch, url: string): Promise<NonNullable<OldStageResults['events']>> {
  const res = await fetch(url)
  if (!res.ok) throw new Error(`stream answered ${res.status}`)
  const out: NonNullable<OldStageResults['events']> = { stage: 'events', results: {}, aggregation: null }
  for (const text of (await res.text()).split('\n')) {
    if (!text.trim()) continue
    const chunk = JSON.parse(text) as Json
    const domain = String(chunk.domain)
    if (chunk.type === 'domain_start') out.results[domain] = { data: [], count: 0 }
    else if (chunk.type === 'records' && out.results[domain]) {
      out.results[domain].data.push(...(chunk.data as Json[]))
      out.results[domain].count = out.results[domain].data.length
    } else if (chunk.type === 'aggregation') out.aggregation = chunk.data
    else if (chunk.type === 'error') throw new Error(`stream error ${String(chunk.code)}`)
  }
  return out
}

/** Runs one trace as the old page does; `params` is what the page builds (old forms included). */
export async function runOldTrace(fetch: Fetch, profile: string, params: Json): Promise<OldStageResults> {
  const direction = String(params.direction ?? 'backward')
  const domains =
    PROFILE_DOMAINS[
      profile === 'mid_section_defect' && direction === 'forward' ? 'mid_section_defect_forward' : profile
    ]
  const seed = (await post(fetch, '/api/trace/seed-resolve', { profile, params })).body
  const result: OldStageResults = { seed, lineage: null, events: null, job_id: null, polls: [] }
  const seeds = seedIds(seed)
  if (seeds.length === 0) return result
  const cacheKey = seed.cache_key ?? null
  const lineage = (
    await post(fetch, '/api/trace/lineage', { profile, container_ids: seeds, cache_key: cacheKey, params })
  ).body
  result.lineage = lineage
  const request: Json = {
    profile,
    container_ids: profile === 'mid_section_defect' ? seeds : family(seeds, lineage, direction),
    domains,
    cache_key: cacheKey,
    params,
    seed_container_ids: seeds,
  }
  if (profile === 'mid_section_defect') {
    if (lineage.query_id) request.lineage_query_id = lineage.query_id
  } else {
    request.lineage = {
      ancestors: lineage.ancestors ?? {},
      children_map: lineage.children_map ?? {},
      seed_roots: lineage.seed_roots ?? {},
    }
  }
  const events = await post(fetch, '/api/trace/events', request)
  if (events.body.async !== true) {
    result.events = events.body as OldStageResults['events']
    return result
  }
  result.job_id = String(events.body.job_id)
  const statusUrl = String(events.body.status_url)
  for (;;) {
    const status = unwrap(await (await fetch(statusUrl)).json())
    result.polls.push({
      status: String(status.status),
      elapsed_seconds: Number(status.elapsed_seconds),
      progress: status.progress,
    })
    if (status.status === 'finished') break
    if (status.status === 'failed' || status.status === 'cancelled') throw new Error(`job ${String(status.status)}`)
    await new Promise((r) => setTimeout(r, 50))
  }
  result.events = await readStream(fetch, String(events.body.stream_url))
  return result
}
