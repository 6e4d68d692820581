/** The defect analysis routes of a job, and how the page's filter becomes their query string. */
import type {
  AnalysisLotsPage,
  AttributionFilter,
  AttributionResult,
  SuspectDetail,
  SuspectDimension,
} from '../../../shared/defect-analysis.ts'
import { requestJson, type ApiOptions, analysisPath } from '../../api/index.ts'

/** The query string of a filter (lists comma-separated, empty lists left out). */
export function filterQuery(filter: AttributionFilter): URLSearchParams {
  const q = new URLSearchParams()
  const put = (name: string, list: readonly string[] | undefined): void => {
    if (list && list.length > 0) q.set(name, list.join(','))
  }
  put('loss_reasons', filter.lossReasons)
  put('product_types', filter.productTypes)
  put('product_lines', filter.productLines)
  put('workcenter_groups', filter.workcenterGroups)
  return q
}

/** The analysis of a finished job under `filter`. */
export async function fetchAnalysis(
  jobId: string,
  filter: AttributionFilter,
  api: ApiOptions,
): Promise<AttributionResult> {
  return (
    await requestJson<AttributionResult>('GET', analysisPath(jobId, '', String(filterQuery(filter))), undefined, api)
  ).body
}

/** One suspect's trend and lots. */
export async function fetchSuspect(
  jobId: string,
  dimension: SuspectDimension,
  key: readonly (string | null)[],
  filter: AttributionFilter,
  api: ApiOptions,
): Promise<SuspectDetail> {
  const q = filterQuery(filter)
  q.set('dimension', dimension)
  q.set('key', key.map((p) => p ?? '').join('|'))
  return (await requestJson<SuspectDetail>('GET', analysisPath(jobId, 'suspect', String(q)), undefined, api)).body
}

/** Every per-lot detail row under `filter`, page by page. */
export async function fetchAllLots(
  jobId: string,
  filter: AttributionFilter,
  api: ApiOptions,
  pageSize = 10_000,
): Promise<AnalysisLotsPage['data'][]> {
  const pages: AnalysisLotsPage['data'][] = []
  for (let offset = 0; ; offset += pageSize) {
    const q = filterQuery(filter)
    q.set('offset', String(offset))
    q.set('limit', String(pageSize))
    const page = (await requestJson<AnalysisLotsPage>('GET', analysisPath(jobId, 'lots', String(q)), undefined, api))
      .body
    pages.push(page.data)
    if (offset + page.data.length >= page.total || page.data.length === 0) return pages
  }
}

/** The per-lot detail CSV download under `filter`. */
export function lotsCsvPath(jobId: string, filter: AttributionFilter): string {
  return analysisPath(jobId, 'lots.csv', String(filterQuery(filter)))
}
