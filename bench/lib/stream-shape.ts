/**
 * The shape of a recorded job stream: lines, bytes and rows per domain, and how many distinct strings each
 * column holds. What the browser pays per row depends on it (the bytes it fetches and parses, the strings its
 * parsers intern and send to the page once each), so two databases are compared by it, not by name.
 */

/** One domain of the stream. */
export interface DomainShape {
  readonly rows: number
  readonly records_lines: number
  /** NDJSON bytes of its `records` lines, newline included. */
  readonly bytes: number
  readonly bytes_per_row: number
  /** Distinct non-null string values by column name (numbers and nulls not counted). */
  readonly distinct_strings: Record<string, number>
}

/** The whole stream. */
export interface StreamShape {
  readonly lines: number
  readonly bytes: number
  readonly domains: Record<string, DomainShape>
}

interface Counting {
  columns: string[]
  rows: number
  lines: number
  bytes: number
  distinct: Set<string>[]
}

function* lines(chunks: readonly Buffer[]): Generator<Buffer> {
  let carry: Buffer | null = null
  for (const chunk of chunks) {
    let start = 0
    for (let i = chunk.indexOf(10); i >= 0; i = chunk.indexOf(10, i + 1)) {
      const piece = chunk.subarray(start, i + 1)
      yield carry ? Buffer.concat([carry, piece]) : piece
      carry = null
      start = i + 1
    }
    if (start < chunk.length)
      carry = carry ? Buffer.concat([carry, chunk.subarray(start)]) : Buffer.from(chunk.subarray(start))
  }
  if (carry) yield carry
}

/** Reads the stream's lines (parsing every `records` line: a few seconds for millions of rows). */
export function streamShape(chunks: readonly Buffer[]): StreamShape {
  const domains = new Map<string, Counting>()
  const counting = (domain: string): Counting => {
    let c = domains.get(domain)
    if (!c) domains.set(domain, (c = { columns: [], rows: 0, lines: 0, bytes: 0, distinct: [] }))
    return c
  }
  let total = 0
  let bytes = 0
  for (const line of lines(chunks)) {
    total++
    bytes += line.length
    const parsed = JSON.parse(line.toString('utf8')) as {
      type?: string
      domain?: string
      columns?: unknown[]
      rows?: unknown[][]
    }
    if (parsed.type === 'domain_start' && parsed.domain && Array.isArray(parsed.columns))
      counting(parsed.domain).columns = parsed.columns.map(String)
    if (parsed.type !== 'records' || !parsed.domain || !Array.isArray(parsed.rows)) continue
    const c = counting(parsed.domain)
    c.rows += parsed.rows.length
    c.lines++
    c.bytes += line.length
    for (const row of parsed.rows) {
      for (let i = 0; i < row.length; i++) {
        const v = row[i]
        if (typeof v === 'string') (c.distinct[i] ??= new Set()).add(v)
      }
    }
  }
  const out: Record<string, DomainShape> = {}
  for (const [domain, c] of domains) {
    const distinct: Record<string, number> = {}
    c.distinct.forEach((set, i) => (distinct[c.columns[i] ?? `#${i}`] = set.size))
    out[domain] = {
      rows: c.rows,
      records_lines: c.lines,
      bytes: c.bytes,
      bytes_per_row: c.rows > 0 ? Math.round((10 * c.bytes) / c.rows) / 10 : 0,
      distinct_strings: distinct,
    }
  }
  return { lines: total, bytes, domains: out }
}
