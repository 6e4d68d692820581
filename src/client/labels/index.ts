/** How values and names read to engineers: counts, durations, column, domain and input labels. */
export { columnLabel, columnWidth } from './column-labels.ts'
export { DOMAIN_HINTS, DOMAIN_LABELS } from './domain-labels.ts'
export { formatCount, formatDuration, formatNumber } from './format.ts'
export { INPUT_EXAMPLES, INPUT_LABELS, inputTypeNoun, inputTypeProblem } from './input-hints.ts'
