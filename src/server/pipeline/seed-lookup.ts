/**
 * Matches typed tokens against one name column: exact tokens in bound lists of TRACE_IN_BATCH_SIZE, each
 * pattern token (`*`/`%`) in its own LIKE statement so its expansion can be reported. Streams pattern
 * matches and stops reading past SEED_PATTERN_MAX_MATCHES names, so a `*` cannot flood memory.
 */
import type { ExpansionInfo } from '../../shared/responses.ts'
import { isPatternToken } from '../../shared/tokens.ts'
import { log } from '../logger.ts'
import type { MesSource } from '../source/mes-source.ts'
import { idsIn, raw, sql, tokenToLikePattern, type SqlQuery } from '../source/sql.ts'
import { chunks, collectRows, text } from './batching.ts'
import type { StageOptions } from './stage-options.ts'

/** Where a token is looked up. All SQL text here is fixed by code, never user input. */
export interface LookupSpec {
  /** `SELECT <container id>, <container name>, <matched column> FROM …`, in that column order. */
  readonly select: string
  /** Fixed conditions AND-ed before the match (e.g. `c.OBJECTTYPE = 'LOT'`). */
  readonly conditions: readonly string[]
  /** The matched column, e.g. `c.FIRSTNAME`. */
  readonly column: string
  /** Compare `UPPER(column)` with upper-cased tokens. */
  readonly caseInsensitive: boolean
}

/** One container a token matched. */
export interface LookupMatch {
  readonly containerId: string
  readonly containerName: string | null
  readonly matched: string
}

export interface LookupResult {
  /** Token → containers it matched; tokens that matched nothing are absent. */
  readonly matches: Map<string, LookupMatch[]>
  /** One entry per pattern token that matched something. */
  readonly expansion: ExpansionInfo[]
}

function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key)
  if (list) list.push(value)
  else map.set(key, [value])
}

function whereClause(spec: LookupSpec, match: SqlQuery): SqlQuery {
  const fixed = spec.conditions.map((c) => `${c} AND `).join('')
  return sql`${raw(spec.select)} WHERE ${raw(fixed)}${match}`
}

function matchExpr(spec: LookupSpec): string {
  return spec.caseInsensitive ? `UPPER(${spec.column})` : spec.column
}

function toMatch(row: unknown[]): LookupMatch | undefined {
  const containerId = text(row[0])
  const matched = text(row[2])
  if (!containerId || !matched) return undefined
  return { containerId, containerName: text(row[1]), matched }
}

async function lookupExact(
  source: MesSource,
  spec: LookupSpec,
  tokens: readonly string[],
  opts: StageOptions,
  into: Map<string, LookupMatch[]>,
): Promise<void> {
  const key = (s: string) => (spec.caseInsensitive ? s.toUpperCase() : s)
  const byKey = new Map<string, string[]>()
  for (const t of tokens) pushTo(byKey, key(t), t)
  for (const keys of chunks([...byKey.keys()], opts.config.TRACE_IN_BATCH_SIZE)) {
    const rows = await collectRows(source, whereClause(spec, sql`${raw(matchExpr(spec))} ${idsIn(keys)}`), opts)
    for (const row of rows) {
      const m = toMatch(row)
      if (!m) continue
      for (const token of byKey.get(key(m.matched)) ?? []) pushTo(into, token, m)
    }
  }
}

async function lookupPattern(
  source: MesSource,
  spec: LookupSpec,
  token: string,
  opts: StageOptions,
): Promise<{ matches: LookupMatch[]; info: ExpansionInfo }> {
  const cap = opts.config.SEED_PATTERN_MAX_MATCHES
  const pattern = spec.caseInsensitive ? tokenToLikePattern(token).toUpperCase() : tokenToLikePattern(token)
  const query = sql`${whereClause(spec, sql`${raw(matchExpr(spec))} LIKE ${pattern} ESCAPE '\\'`)} ORDER BY 3, 1`
  const names: string[] = []
  const matches: LookupMatch[] = []
  let truncated = false
  // Rows arrive sorted by name, so counting name changes caps distinct names without a set.
  outer: for await (const batch of source.stream(query, {
    fetchSize: opts.config.DB_SLOW_FETCHMANY_SIZE,
    signal: opts.signal,
  })) {
    for (const row of batch.rows) {
      const m = toMatch(row)
      if (!m) continue
      if (names[names.length - 1] !== m.matched) {
        if (names.length === cap) {
          truncated = true
          break outer
        }
        names.push(m.matched)
      }
      matches.push(m)
    }
  }
  if (truncated) log.warn('seed pattern truncated', { pattern: token, cap })
  return { matches, info: { pattern: token, matched: names.length, names, truncated } }
}

/** Looks every token up in one column; unique tokens in input order are expected. */
export async function lookupTokens(
  source: MesSource,
  spec: LookupSpec,
  tokens: readonly string[],
  opts: StageOptions,
): Promise<LookupResult> {
  const matches = new Map<string, LookupMatch[]>()
  const expansion: ExpansionInfo[] = []
  await lookupExact(
    source,
    spec,
    tokens.filter((t) => !isPatternToken(t)),
    opts,
    matches,
  )
  for (const token of tokens.filter(isPatternToken)) {
    const r = await lookupPattern(source, spec, token, opts)
    if (r.matches.length === 0) continue
    matches.set(token, r.matches)
    expansion.push(r.info)
  }
  return { matches, expansion }
}
