/** How suspects and their numbers read on the page. */
import type { Suspect, SuspectDimension } from '../../../shared/defect-analysis.ts'

export const DIMENSION_LABELS: Readonly<Record<SuspectDimension | 'loss_reason', string>> = {
  machine: 'Upstream machines',
  material: 'Material lots',
  wafer_root: 'Wafer lots',
  detection_machine: 'Detection machines',
  loss_reason: 'Loss reasons',
}

/** A suspect's name: machine (group), part / lot, or the name alone. */
export function suspectLabel(s: Pick<Suspect, 'dimension' | 'key'>): string {
  if (s.dimension === 'machine') return `${s.key[1] ?? '?'} (${s.key[0] ?? '?'})`
  if (s.dimension === 'material') return `${s.key[1] ?? '?'} (${s.key[0] ?? '?'})`
  return s.key[0] ?? '?'
}

/** A p-value as engineers read it: 3 significant digits, tiny ones in exponent form. */
export function formatP(p: number): string {
  if (p >= 0.001) return p.toFixed(3)
  return p.toExponential(1)
}
