/**
 * A web process the way `npm start` runs one (source, job system: BullMQ with REDIS_URL, else embedded workers;
 * HTTP server, graceful stop on SIGTERM), minus the client build and the demo database: configuration from the environment, a free port,
 * and one JSON line `{"url","pid"}` on stdout once it listens.
 */
import { onShutdown } from '../../../src/server/cli/shutdown.ts'
import { loadConfig } from '../../../src/server/config.ts'
import { createJobService } from '../../../src/server/jobs/create-job-service.ts'
import { startServer } from '../../../src/server/serve.ts'
import { openSource } from '../../../src/server/source/open-source.ts'

const config = loadConfig()
const source = await openSource(config)
const jobs = await createJobService(config)
// WEB_PROCESS_PORT: a restarted web process answers where its clients were connected (fault tests); else any port.
const port = Number(process.env.WEB_PROCESS_PORT ?? 0)
const server = await startServer({
  config,
  source,
  jobs,
  port,
  host: '127.0.0.1',
  staticRoot: `${config.MES_DB_PATH}.no-client`,
})
process.stdout.write(JSON.stringify({ url: server.url, pid: process.pid }) + '\n')
onShutdown([
  { name: 'http server', run: () => server.close() },
  { name: 'job system', run: () => jobs.close() },
  { name: 'MES source', run: () => source.close() },
])
