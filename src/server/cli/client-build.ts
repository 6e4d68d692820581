/** Builds the browser app into dist/ on first start, so `npm install && npm start` is enough on a fresh clone. */
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'

export type ClientBuildResult =
  { readonly status: 'present' | 'built' } | { readonly status: 'failed'; readonly reason: string }

function runViteBuild(cwd: string): Promise<number | null> {
  return new Promise((resolve, reject) => {
    // A child process, not vite's JS API: the bundler's memory must not stay in the web server's heap.
    const child = spawn(join(cwd, 'node_modules', '.bin', 'vite'), ['build'], {
      cwd,
      stdio: ['ignore', 'inherit', 'inherit'],
    })
    child.once('error', reject)
    child.once('exit', (code) => resolve(code))
  })
}

/** Runs `vite build` in `projectRoot` when `outDir/index.html` is missing; never throws. */
export async function ensureClientBuild(projectRoot: string, outDir: string): Promise<ClientBuildResult> {
  if (existsSync(join(outDir, 'index.html'))) return { status: 'present' }
  if (!existsSync(join(projectRoot, 'index.html'))) {
    return { status: 'failed', reason: `no client entry ${join(projectRoot, 'index.html')} to build` }
  }
  try {
    const code = await runViteBuild(projectRoot)
    if (code === 0 && existsSync(join(outDir, 'index.html'))) return { status: 'built' }
    return { status: 'failed', reason: `vite build exited with code ${code} (its output is above)` }
  } catch (err) {
    return {
      status: 'failed',
      reason: `vite build could not start: ${err instanceof Error ? err.message : String(err)}`,
    }
  }
}
