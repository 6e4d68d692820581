/** The trace form's fields (Pinia): kept across tab switches and refilled when a recent job is reopened. */
import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import type { Direction } from '../../shared/domains.ts'
import type { JobRequest } from '../../shared/schemas.ts'
import type { StationDataSpan } from '../../shared/responses.ts'
import {
  buildRequest,
  formDefaultDomains,
  formFromRequest,
  formProfile,
  initialFormState,
  recentMonthOf,
  type FormMode,
  type TraceFormState,
  type RunMode,
} from '../trace/index.ts'

export const useTraceFormStore = defineStore('trace-form', () => {
  const state = ref<TraceFormState>(initialFormState())
  const runMode = ref<RunMode>('auto')
  /** The dates the form filled in itself; once the engineer changes them, a data span no longer moves them. */
  let autoDates = { startDate: state.value.startDate, endDate: state.value.endDate }

  const profile = computed(() => formProfile(state.value))
  const request = computed<JobRequest>(() => buildRequest(state.value))

  /** Switches mode; the domain checkboxes go back to the new profile's defaults. */
  function setMode(mode: FormMode): void {
    state.value.mode = mode
    state.value.domains = formDefaultDomains(state.value)
  }

  /** Switches MSD direction; its default domains differ per direction. */
  function setDirection(direction: Direction): void {
    state.value.direction = direction
    state.value.domains = formDefaultDomains(state.value)
  }

  function resetDomains(): void {
    state.value.domains = formDefaultDomains(state.value)
  }

  /** Refills the form from a request (a recent job). */
  function load(req: JobRequest): void {
    state.value = formFromRequest(req, state.value)
    autoDates = { startDate: '', endDate: '' }
  }

  /** Moves untouched MSD dates to the most recent month of the station's data. */
  function applyDataSpan(span: StationDataSpan): void {
    const month = recentMonthOf(span)
    const s = state.value
    if (!month || span.station !== s.station || s.startDate !== autoDates.startDate || s.endDate !== autoDates.endDate)
      return
    s.startDate = month.startDate
    s.endDate = month.endDate
    autoDates = month
  }

  return { state, runMode, profile, request, setMode, setDirection, resetDomains, load, applyDataSpan }
})
