/** HTTP: fetch with the app's rules, the trace routes, every job URL, and the errors as the browser shows them. */
export { apiUrl, openStream, requestJson } from './api-client.ts'
export type { ApiOptions } from './api-client.ts'
export { analysisPath, exportCsvPath, exportXlsxPath, linksOfAccepted, linksOfJobId, resumeUrl } from './job-urls.ts'
export type { JobLinks } from './job-urls.ts'
export {
  deleteJob,
  fetchDataSpan,
  fetchJobLineage,
  fetchJobStatus,
  fetchLineage,
  fetchMsdOptions,
  requestEvents,
  resolveSeeds,
  submitJob,
} from './trace-api.ts'
export { ApiRequestError, MalformedLineError, isAbortError, toStageError } from './trace-errors.ts'
export type { StageError, TraceErrorCode } from './trace-errors.ts'
