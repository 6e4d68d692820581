// Node 20 worker threads do not apply the loader hooks of `--import tsx` in execArgv, so the thread loads its
// TypeScript body through tsx's API instead; this works the same under `npm start`, vitest and plain tsx.
import { tsImport } from 'tsx/esm/api'

await tsImport('./sqlite-thread.ts', import.meta.url)
