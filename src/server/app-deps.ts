/**
 * What the app is built around, passed in so tests build the same app around their own database and job
 * service. Each router takes the narrowest slice of it (`Pick<AppDeps, …>`); nothing imports it back from app.ts.
 */
import type { Config } from './config.ts'
import type { JobService } from './jobs/job-service.ts'
import type { MesSource } from './source/mes-source.ts'

export interface AppDeps {
  readonly config: Config
  readonly source: MesSource
  /** The job system; without it every events request is answered synchronously (or refused by the CID limit). */
  readonly jobs?: JobService
  /** Folder of the built client; default `dist` under the working directory. */
  readonly staticRoot?: string
}
