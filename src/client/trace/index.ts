/** Running a trace: the form's request, the run path, the stages, and the composables that follow a run. */
export {
  buildRequest,
  describeRequest,
  formDefaultDomains,
  formFromRequest,
  formInputType,
  formProfile,
  initialFormState,
  recentMonthOf,
  uniqueTokens,
} from './form-request.ts'
export type { FormMode, ForwardType, MsdMode, ReverseType, TraceFormState } from './form-request.ts'
export { requestDirection } from './run-path.ts'
export type { RunMode, RunPath } from './run-path.ts'
export { TRACE_STAGES, stageErrorKey } from './trace-stages.ts'
export type { JobProgressView, RunStatus, SeedOutcome, StageErrors, TraceStage } from './trace-stages.ts'
export { useTraceProgress } from './useTraceProgress.ts'
export type { TraceProgress } from './useTraceProgress.ts'
export { checkTraceRequest } from './validate-request.ts'
