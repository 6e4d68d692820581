import { fileURLToPath } from 'node:url'
import ts from 'typescript'
import { expect, it } from 'vitest'

const THREAD_BODY = fileURLToPath(new URL('../../../../src/server/source/sqlite/sqlite-thread.js', import.meta.url))

// tsconfig.json covers TypeScript files only, so this is what keeps the JavaScript thread body in step with
// thread-protocol.ts.
it('type-checks the JavaScript thread body against the thread protocol types', () => {
  const program = ts.createProgram([THREAD_BODY], {
    allowJs: true,
    checkJs: true,
    noEmit: true,
    strict: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    allowImportingTsExtensions: true,
    verbatimModuleSyntax: true,
    esModuleInterop: true,
    skipLibCheck: true,
    types: ['node'],
  })
  const diagnostics = ts.getPreEmitDiagnostics(program)
  const host: ts.FormatDiagnosticsHost = {
    getCanonicalFileName: (f) => f,
    getCurrentDirectory: () => process.cwd(),
    getNewLine: () => '\n',
  }
  expect(ts.formatDiagnostics(diagnostics, host)).toBe('')
}, 120_000)
