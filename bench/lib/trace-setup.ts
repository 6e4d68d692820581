/**
 * What the raw scan and the buffered baseline do before their events: read the same job request the job is
 * given (`--request '<JobRequest JSON>'`), open the configured source, and compute the trace's CIDs with the
 * job's own function (seed-resolve and lineage), so all three modes fetch exactly the same containers.
 */
import { parseArgs } from 'node:util'
import type { Direction, Domain } from '../../src/shared/domains.ts'
import { jobRequestSchema, type JobRequest } from '../../src/shared/schemas.ts'
import { loadConfig, type Config } from '../../src/server/config.ts'
import { jobCids } from '../../src/server/jobs/job-cids.ts'
import { parseTraceRequest } from '../../src/server/routes/trace-request.ts'
import type { MesSource } from '../../src/server/source/mes-source.ts'
import { openSource } from '../../src/server/source/open-source.ts'
import { statusKb } from './proc.ts'

/** A trace ready for its events stage. */
export interface TraceSetup {
  readonly config: Config
  readonly source: MesSource
  readonly request: JobRequest
  readonly cids: string[]
  readonly direction: Direction
  readonly domains: Domain[]
  /** Seed-resolve plus lineage, ms. */
  readonly cidsMs: number
  /** The process's RSS high-water mark (VmHWM, kB) once the CIDs are known: the peak of that stage. */
  readonly hwmAfterCidsKb: number
}

/** Parses `--request` from argv. */
export function requestFromArgv(argv: string[] = process.argv.slice(2)): JobRequest {
  const { values } = parseArgs({ args: argv, options: { request: { type: 'string' } } })
  if (!values.request) throw new Error('missing --request <JobRequest JSON>')
  return jobRequestSchema.parse(JSON.parse(values.request))
}

/** Opens the source and resolves the request's CIDs and domains; the caller closes `source`. */
export async function setUpTrace(request: JobRequest): Promise<TraceSetup> {
  const config = loadConfig()
  const source = await openSource(config)
  const started = performance.now()
  const { seed, direction, domains } = parseTraceRequest(request, config)
  const { cids } = await jobCids(
    request.profile,
    { kind: 'trace', seed, direction },
    { source, config, signal: new AbortController().signal, onStage: () => undefined, onSeeds: async () => undefined },
  )
  const cidsMs = performance.now() - started
  return { config, source, request, cids, direction, domains, cidsMs, hwmAfterCidsKb: statusKb(process.pid, 'VmHWM') }
}

/** Writes the process's result as the last stdout line, with the kernel's own RSS high-water mark (VmHWM). */
export function printResult(result: Record<string, unknown>): void {
  process.stdout.write(JSON.stringify({ ...result, vm_hwm_kb: statusKb(process.pid, 'VmHWM') }) + '\n')
}
