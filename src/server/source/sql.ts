/**
 * A dialect-neutral SQL statement: text pieces plus bound values. Pipeline stages write SQL once with the
 * `sql` tag; each adapter compiles it to its placeholders. CID lists are always bound, never inlined:
 * `idsIn(ids)` becomes `IN (?, ?, …)` on SQLite, `= ANY($n)` on PostgreSQL, an Oracle IN list of ≤ 1000 binds.
 */
export type SqlValue = string | number | null

export type SqlPart =
  | { readonly kind: 'value'; readonly value: SqlValue }
  | { readonly kind: 'ids_in'; readonly ids: readonly string[] }
  | { readonly kind: 'ids_table'; readonly ids: readonly string[] }
  | { readonly kind: 'raw'; readonly text: string }

export interface SqlQuery {
  readonly strings: readonly string[]
  readonly parts: readonly SqlPart[]
}

type Interpolation = SqlValue | SqlPart | SqlQuery

function isQuery(v: Interpolation): v is SqlQuery {
  return typeof v === 'object' && v !== null && 'strings' in v
}
function isPart(v: Interpolation): v is SqlPart {
  return typeof v === 'object' && v !== null && 'kind' in v
}

/** Tagged template: values are bound; nested `sql` fragments are spliced in. */
export function sql(strings: TemplateStringsArray | readonly string[], ...values: Interpolation[]): SqlQuery {
  const outStrings: string[] = [strings[0]]
  const parts: SqlPart[] = []
  values.forEach((v, i) => {
    const next = strings[i + 1]
    if (isQuery(v)) {
      outStrings[outStrings.length - 1] += v.strings[0]
      v.parts.forEach((p, j) => {
        parts.push(p)
        outStrings.push(v.strings[j + 1])
      })
      outStrings[outStrings.length - 1] += next
    } else {
      parts.push(isPart(v) ? v : { kind: 'value', value: v })
      outStrings.push(next)
    }
  })
  return { strings: outStrings, parts }
}

/** `column ${idsIn(ids)}`: membership in a bound CID list. */
export function idsIn(ids: readonly string[]): SqlPart {
  return { kind: 'ids_in', ids }
}

/** `JOIN ${idsTable(ids)} x ON …`: a derived table with one column `cid`, one row per bound id. */
export function idsTable(ids: readonly string[]): SqlPart {
  return { kind: 'ids_table', ids }
}

/** Trusted SQL text (identifiers and keywords chosen by code, never user input). */
export function raw(text: string): SqlPart {
  return { kind: 'raw', text }
}

/** Joins fragments with a separator (e.g. OR-ed LIKE patterns). */
export function joinSql(fragments: readonly SqlQuery[], separator: string): SqlQuery {
  if (fragments.length === 0) return sql`${raw('')}`
  const pieces: Interpolation[] = []
  const strings: string[] = ['']
  fragments.forEach((f, i) => {
    pieces.push(f)
    strings.push(i < fragments.length - 1 ? separator : '')
  })
  return sql(strings, ...pieces)
}

/** Escapes `\`, `%` and `_` so a literal lot name is matched exactly by `LIKE ? ESCAPE '\'`. */
export function escapeLike(literal: string): string {
  return literal.replace(/[\\%_]/g, (c) => '\\' + c)
}

/** Converts a typed token (`*` wildcard, `%`/`_` SQL wildcards) into a LIKE pattern for `ESCAPE '\'`. */
export function tokenToLikePattern(token: string): string {
  // `_` stays literal: real lot names contain it, and engineers type `*` or `%` when they mean a wildcard.
  return escapeLike(token).replace(/\\%/g, '%').replace(/\*/g, '%')
}
