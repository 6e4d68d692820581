/** The Node flags `npm start` runs the web process with, read from package.json so benches start it the same way. */
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'

const ROOT = resolve(import.meta.dirname, '..', '..')

/** The start script of package.json. */
export function startScript(): string {
  const pkg = JSON.parse(readFileSync(resolve(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }
  return pkg.scripts.start
}

/**
 * The flags between `node` and the script in the command that runs the server (the last of the start script's
 * `&&` chain, after its `exec`). A bench that runs a TypeScript file adds `--import tsx` itself (TSX_FLAGS).
 */
export function startNodeFlags(): string[] {
  const script = startScript()
  const words = (script.split('&&').pop() ?? '').trim().split(/\s+/)
  if (words[0] === 'exec') words.shift()
  if (words[0] !== 'node') throw new Error(`cannot read the Node flags of the start script: ${script}`)
  return words.slice(1, -1)
}

/** The loader flags that run a TypeScript file. */
export const TSX_FLAGS: readonly string[] = ['--import', 'tsx']
