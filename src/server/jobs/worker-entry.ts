/**
 * Which file a worker process runs and how Node loads it. The compiled server (dist-server/, `npm start`)
 * forks the compiled worker-main.js; running TypeScript directly (tests, `tsx`), it forks worker-main.ts
 * through the tsx loader. This module is bundled into dist-server/ too, so `import.meta.url` tells which.
 */
import { fileURLToPath } from 'node:url'

const compiled = !import.meta.url.endsWith('.ts')

/** worker-main beside this module: worker-main.js in dist-server/, worker-main.ts in src/server/jobs/. */
export const WORKER_MAIN = fileURLToPath(new URL(compiled ? './worker-main.js' : './worker-main.ts', import.meta.url))

/**
 * The Node flags that load `entry`: the tsx loader for a .ts file; for compiled JavaScript, source maps, so
 * stack traces in the logs name the TypeScript lines.
 */
export function loaderFlags(entry: string): string[] {
  return entry.endsWith('.ts') ? ['--import', 'tsx'] : ['--enable-source-maps']
}
