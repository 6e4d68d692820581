/** Splits what an engineer pasted (newline, comma or semicolon separated) into trimmed, non-empty tokens. */
export function splitTokens(input: string | readonly string[]): string[] {
  const parts = typeof input === 'string' ? [input] : input
  const out: string[] = []
  for (const part of parts) {
    for (const token of part.split(/[\n\r,;]+/)) {
      const t = token.trim()
      if (t) out.push(t)
    }
  }
  return out
}

/** True when a token is a pattern: `*` (typed wildcard) or SQL `%`. `_` alone is literal in lot names. */
export function isPatternToken(token: string): boolean {
  return token.includes('*') || token.includes('%')
}

/** Counts of a token list as the paste box shows them: total, unique, and the duplicated tokens. */
export function tokenStats(tokens: readonly string[]): { total: number; unique: number; duplicates: string[] } {
  const seen = new Set<string>()
  const dup = new Set<string>()
  for (const t of tokens) {
    if (seen.has(t)) dup.add(t)
    else seen.add(t)
  }
  return { total: tokens.length, unique: seen.size, duplicates: [...dup] }
}
