/**
 * PostgreSQL folds unquoted identifiers to lower case, so `SELECT h.CONTAINERID` comes back as `containerid`
 * while SQLite (and Oracle's upper-casing) keep the MES spelling. Recovering the spelling the statement itself
 * used keeps batch columns identical across sources without making SQL authors quote every identifier.
 */

/**
 * Each lower-case field name respelled as the SQL text writes it: its `AS` alias if it has one, else its first
 * occurrence. Names the text does not contain (and quoted mixed-case names) are kept.
 */
export function columnsAsWritten(sqlText: string, fieldNames: readonly string[]): string[] {
  return fieldNames.map((name) => {
    if (!/^[a-z_][a-z0-9_]*$/.test(name)) return name
    const alias = new RegExp(`\\bAS\\s+(${name})(?![\\w$])`, 'i').exec(sqlText)
    if (alias !== null) return alias[1]
    const match = new RegExp(`(?<![\\w$"])${name}(?![\\w$])`, 'i').exec(sqlText)
    return match === null ? name : match[0]
  })
}
