// `yaml` is loaded lazily (src/yaml/library.ts): a lint of clean files never loads it, so the
// bundle's start leaves it out (scripts/bundle.mjs keeps it in a chunk of its own). Checked two
// ways: the command line linting a clean example from the TypeScript sources in a child Node,
// recording whether anything resolved `yaml`; and the imports of src/, read as text.
import { describe, expect, test } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import { readFileSync, readdirSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const SRC = join(ROOT, 'src')

/** In the child, `./x.js` imports resolve to the `./x.ts` sources (as ts-jest maps them here), and resolving `yaml` is recorded. */
const HOOKS =
  'data:text/javascript,' +
  encodeURIComponent(`import { registerHooks } from 'node:module'
registerHooks({
  resolve(specifier, context, next) {
    if (specifier === 'yaml') globalThis.yamlResolved = true
    try {
      return next(specifier, context)
    } catch (error) {
      if (/^\\.\\.?\\//.test(specifier) && specifier.endsWith('.js')) return next(specifier.slice(0, -3) + '.ts', context)
      throw error
    }
  }
})`)

/** Runs `rayjob-action lint FILE --format json` from the sources (the bundle's entry, as dist/cli/index.js runs it): its exit code, and whether `yaml` was resolved. */
function lintInChild(file: string): { status: number | null; yamlResolved: boolean; stderr: string } {
  const script = `globalThis[Symbol.for('rayjob-action.cli')] = true
process.argv = [process.argv[0], 'rayjob-action', 'lint', ${JSON.stringify(file)}, '--format', 'json']
process.on('exit', () => process.stderr.write('\\nyaml resolved: ' + (globalThis.yamlResolved === true) + '\\n'))
await import(${JSON.stringify(pathToFileURL(join(SRC, 'index.ts')).href)})`
  const args = ['--experimental-transform-types', '--no-warnings', '--import', HOOKS, '--input-type=module', '-e', script]
  const child = spawnSync(process.execPath, args, { cwd: ROOT, env: { ...process.env, NODE_OPTIONS: '' }, encoding: 'utf8', timeout: 60_000 })
  return { status: child.status, yamlResolved: /yaml resolved: true/.test(child.stderr), stderr: child.stderr }
}

describe('the yaml library is loaded only when a file needs it', () => {
  test('a lint of a clean example does not load yaml; one of a file with an anchor does', () => {
    const clean = lintInChild('examples/valid/k8s-job-mode.yaml')
    expect({ status: clean.status, yamlResolved: clean.yamlResolved }).toEqual({ status: 0, yamlResolved: false })
    const anchors = lintInChild('__tests__/fixtures/kuberay-manifests/' + fixtureWithAnchor())
    expect(anchors.yamlResolved).toBe(true)
  }, 60_000)

  const files = sourceFiles(SRC)
  const source = (file: string): string => readFileSync(file, 'utf8')

  test("only src/yaml/library.ts loads `yaml`, with a dynamic import; outside src/yaml nothing imports it, not even a type", () => {
    const loaders = files.filter((f) => /import\(\s*'yaml'\s*\)|^import (?!type)[^\n]*from 'yaml'/m.test(source(f)))
    expect(loaders.map((f) => relative(ROOT, f))).toEqual(['src/yaml/library.ts'])
    expect(source(join(SRC, 'yaml', 'library.ts'))).not.toMatch(/^import (?!type)[^\n]*from 'yaml'/m)
    const outside = files.filter((f) => !f.startsWith(join(SRC, 'yaml')) && /from 'yaml'|import\('yaml'\)/.test(source(f)))
    expect(outside.map((f) => relative(ROOT, f))).toEqual([])
  })

  test('outside src/yaml, src/ reads YAML through src/yaml/index.ts only (the fast reader is not imported)', () => {
    const deep = files.filter((f) => !f.startsWith(join(SRC, 'yaml')) && /from '[./]*\/yaml\/(?!index\.js')/.test(source(f)))
    expect(deep.map((f) => relative(ROOT, f))).toEqual([])
  })
})

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : []
  })
}

/** A KubeRay sample with an anchor (the fast reader leaves it to `yaml`). */
function fixtureWithAnchor(): string {
  const dir = join(ROOT, '__tests__', 'fixtures', 'kuberay-manifests')
  const name = readdirSync(dir).find((f) => /\.ya?ml$/.test(f) && /^[^#\n]*: &\w/m.test(readFileSync(join(dir, f), 'utf8')))
  if (!name) throw new Error('no KubeRay sample with an anchor')
  return name
}
