/**
 * Rules of the input types an engineer can break by pasting into the wrong box (docs/domain.md): shown before
 * sending, with the fix, instead of a round trip that returns only "not found".
 */
import type { InputType } from '../../shared/domains.ts'

const LIST_MAX = 5

function list(tokens: readonly string[]): string {
  const shown = tokens.slice(0, LIST_MAX).join(', ')
  return tokens.length > LIST_MAX ? `${shown} (+${tokens.length - LIST_MAX} more)` : shown
}

function startsWithGd(token: string): boolean {
  return /^gd/i.test(token)
}

/** Why these tokens do not fit the input type, or null when they do. */
export function inputTypeProblem(inputType: InputType, tokens: readonly string[]): string | null {
  if (inputType === 'work_order') {
    const gd = tokens.filter(startsWithGd)
    if (gd.length > 0) return `GD orders are rework orders: use Reverse trace → GD work order for ${list(gd)}`
  }
  if (inputType === 'gd_lot_id' || inputType === 'gd_work_order') {
    const other = tokens.filter((t) => !startsWithGd(t.replace(/^[*%]+/, '')) && !/^[*%]/.test(t))
    if (other.length > 0)
      return `${inputType === 'gd_lot_id' ? 'GD lot ids' : 'GD work orders'} start with GD: ${list(other)}`
  }
  return null
}

/** Example of what each input type takes (placeholder text). */
export const INPUT_EXAMPLES: Readonly<Record<InputType, string>> = {
  lot_id: 'GA23100020-A00-011\nGA23100020-A00-012\nGA2310002*',
  wafer_lot: 'WL23100020\nWL2310*',
  work_order: 'GA23100020\nGC23110007',
  serial_number: 'SN2401000123\nSN24010001*',
  gd_lot_id: 'GD23120004-A00-001',
  gd_work_order: 'GD23120004',
}

/** Labels of the input types (`Wafer lot`); `inputTypeNoun` gives them inside a sentence. */
export const INPUT_LABELS: Readonly<Record<InputType, string>> = {
  lot_id: 'Lot ID',
  wafer_lot: 'Wafer lot',
  work_order: 'Work order',
  serial_number: 'Serial number',
  gd_lot_id: 'GD lot ID',
  gd_work_order: 'GD work order',
}

/** An input type inside a sentence, singular or plural: `wafer lots`, `GD lot IDs`. */
export function inputTypeNoun(inputType: InputType, count: number): string {
  const label = INPUT_LABELS[inputType]
  // Lower-case a leading capital word ("Wafer lot"), not an acronym ("GD lot ID").
  const inSentence = /^[A-Z][a-z]/.test(label) ? label[0].toLowerCase() + label.slice(1) : label
  return count === 1 ? inSentence : `${inSentence}s`
}
