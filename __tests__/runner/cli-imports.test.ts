// The command line shares the bundle with the action but must never load @actions/core (nor the
// action's runner, nor the Kubernetes client): every module the CLI can reach, through static and
// dynamic imports alike, is read from src/ and its packages listed.
import { describe, expect, it } from '@jest/globals'
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'

const ROOT = resolve(import.meta.dirname, '..', '..')

/** Module specifiers a TypeScript file imports at run time (`import type` is erased, so left out). */
function runtimeImports(source: string): string[] {
  const specifiers: string[] = []
  for (const m of source.matchAll(/^\s*(import|export)\s+(type\s+)?(?:[^'";]*?\s+from\s+)?'([^']+)'/gm)) if (!m[2]) specifiers.push(m[3])
  for (const m of source.matchAll(/\bimport\(\s*(?:\/\*.*?\*\/\s*)?'([^']+)'\s*\)/g)) specifiers.push(m[1])
  return specifiers
}

/** Every file of src/ reachable from `entry`, and every package they import. */
function reachable(entry: string): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>()
  const packages = new Set<string>()
  const visit = (file: string): void => {
    if (files.has(file)) return
    files.add(file)
    // Type positions (`typeof import('./x.js')`) are erased too: drop them before looking for import().
    const source = readFileSync(join(ROOT, file), 'utf8').replace(/typeof\s+import\([^)]*\)/g, '')
    for (const specifier of runtimeImports(source)) {
      if (specifier.startsWith('.')) {
        const path = relative(ROOT, resolve(ROOT, dirname(file), specifier))
        const ts = path.replace(/\.js$/, '.ts')
        visit(existsSync(join(ROOT, ts)) ? ts : path)
      }
      else packages.add(specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0])
    }
  }
  visit(entry)
  return { files, packages }
}

describe('what the command line loads', () => {
  it('never @actions/core, the action runner or the Kubernetes client', () => {
    const { files, packages } = reachable('src/bin.ts')
    expect(files).toContain('src/cli.ts')
    expect(files).not.toContain('src/runner/actions.ts')
    expect(files).not.toContain('src/main.ts')
    expect([...packages].filter((p) => !p.startsWith('node:')).sort()).toEqual(['@marcbachmann/cel-js', 'tinyglobby', 'yaml'])
  })

  it('while the action does load @actions/core (so the check above is not vacuous)', () => {
    const { files, packages } = reachable('src/main.ts')
    expect(files).toContain('src/runner/actions.ts')
    expect(packages).toContain('@actions/core')
    expect(packages).toContain('@kubernetes/client-node')
  })

  it('the bundle entry chooses between the two only at run time', () => {
    const source = readFileSync(join(ROOT, 'src/index.ts'), 'utf8')
    expect(runtimeImports(source).sort()).toEqual(['./bin.js', './main.js'])
    expect(source).not.toMatch(/^\s*import\s+[^(]/m)
  })
})
