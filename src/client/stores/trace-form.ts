/** The trace form's fields (Pinia): kept across tab switches and refilled when a recent job is reopened. */
import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import type { Direction } from '../../shared/domains.ts'
import type { JobRequest } from '../../shared/schemas.ts'
import { buildRequest, formDefaultDomains, formFromRequest, formProfile, initialFormState, type FormMode, type TraceFormState } from '../lib/form-request.ts'
import type { RunMode } from '../lib/run-path.ts'

export const useTraceFormStore = defineStore('trace-form', () => {
  const state = ref<TraceFormState>(initialFormState())
  const runMode = ref<RunMode>('auto')

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
  }

  return { state, runMode, profile, request, setMode, setDirection, resetDomains, load }
})
