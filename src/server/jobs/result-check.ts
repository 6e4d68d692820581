/**
 * The last check before a job is recorded finished: every chunk its meta lists is still stored. A result store
 * that lost keys under a running job (Redis restarted without persistence, or flushed) would otherwise leave a
 * finished job whose stream ends in an error and whose pages and CSV miss rows.
 */
import { DomainError } from '../errors/domain-error.ts'
import type { ResultMeta, ResultStore } from '../storage/result-store.ts'

/** Throws RESULT_LOST when the stored result is not whole. */
export async function assertResultWhole(results: ResultStore, meta: ResultMeta): Promise<void> {
  const stored = await results.readMeta(meta.job_id)
  const lost: string[] = []
  if (!stored?.complete) lost.push('its table of contents')
  for (const domain of meta.order) {
    const chunks = meta.domains[domain]?.chunks ?? 0
    const have = await results.storedChunks(meta.job_id, domain, chunks)
    if (have < chunks) lost.push(`${chunks - have} of ${chunks} chunks of ${domain}`)
  }
  if (meta.aggregation && !(await results.readAggregation(meta.job_id))) lost.push('its aggregation')
  if (lost.length > 0) {
    throw new DomainError(
      'RESULT_LOST',
      `the result store lost part of the result while the job ran (${lost.join(', ')}); submit the job again`,
    )
  }
}
