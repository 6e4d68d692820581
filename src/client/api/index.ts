/** HTTP: fetch with the app's rules, the trace routes, and the errors as the browser shows them. */
export { apiUrl, openStream, requestJson } from './api-client.ts'
export type { ApiOptions } from './api-client.ts'
export {
  deleteJob,
  exportCsvPath,
  exportXlsxPath,
  fetchDataSpan,
  fetchJobStatus,
  fetchLineage,
  jobPath,
  requestEvents,
  resolveSeeds,
  submitJob,
} from './trace-api.ts'
export { ApiRequestError, MalformedLineError, isAbortError, toStageError } from './trace-errors.ts'
export type { StageError, TraceErrorCode } from './trace-errors.ts'
