/**
 * SQL conditions that put a WORKCENTERNAME into a workcenter group exactly as `workcenterGroupOf` does: in
 * upper case on every dialect (SQLite's LIKE ignores ASCII case, PostgreSQL's and Oracle's do not).
 */
import { WORKCENTER_GROUPS, type WorkcenterGroup } from '../../shared/workcenter-groups.ts'
import { escapeLike, joinSql, raw, sql, type SqlQuery } from '../source/sql.ts'

const SINGULATION_ORDER = 10

/** Groups a name is tested against before `group` (singulation first, then lower orders). */
function groupsBefore(group: WorkcenterGroup): WorkcenterGroup[] {
  if (group.order === SINGULATION_ORDER) return []
  return WORKCENTER_GROUPS.filter((g) => g.order === SINGULATION_ORDER || g.order < group.order)
}

function containsAny(column: string, patterns: readonly string[]): SqlQuery {
  return joinSql(
    patterns.map((p) => sql`UPPER(${raw(column)}) LIKE ${'%' + escapeLike(p.toUpperCase()) + '%'} ESCAPE '\\'`),
    ' OR ',
  )
}

/**
 * `(column contains one of the group's patterns AND NOT one of an earlier group's)`: the first-match rule,
 * so 切割 (dicing) never takes 元件切割 or PKG_SAW (singulation).
 */
export function workcenterGroupCondition(column: string, group: WorkcenterGroup): SqlQuery {
  const include = containsAny(column, group.patterns)
  const before = groupsBefore(group).flatMap((g) => g.patterns)
  if (before.length === 0) return sql`(${include})`
  return sql`((${include}) AND NOT (${containsAny(column, before)}))`
}
