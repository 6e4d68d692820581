/** Derived column values shared by the domain mappers. */
import { workcenterGroupOf, workcenterOrder } from '../../../shared/workcenter-groups.ts'
import { num, text } from '../batching.ts'

/** LOSSREASONNAME shown when the operator left it blank. */
export const UNFILLED_LOSS_REASON = '(未填寫)'

/** LOSSREASONNAME, or `(未填寫)` for NULL/blank. */
export function lossReason(value: unknown): string {
  return text(value) ?? UNFILLED_LOSS_REASON
}

/** WORKCENTER_GROUP: the group's name, or null when the workcenter belongs to none. */
export function workcenterGroupName(workcenterName: unknown): string | null {
  return workcenterGroupOf(text(workcenterName))?.name ?? null
}

/** WORKCENTERSEQUENCE_GROUP: the order of the workcenter's group, 999 when it belongs to none. */
export function workcenterSequence(workcenterName: unknown): number {
  return workcenterOrder(text(workcenterName))
}

/** Sum of quantity columns, NULL counting as 0. */
export function sumQty(values: readonly unknown[]): number {
  let total = 0
  for (const v of values) total += num(v) ?? 0
  return total
}

/** Rounds to 2 decimals (half away from zero for positive hours). */
export function round2(value: number): number {
  return Math.round(value * 100) / 100
}
