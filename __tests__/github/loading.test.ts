// @actions/github is loaded only when a GitHub report is used: the action's static imports never
// reach it (nor src/github/), and the one file that loads it does so with import(). The command
// line reaches neither at all (__tests__/runner/cli-imports.test.ts lists its packages).
import { describe, expect, it } from '@jest/globals'
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'

const ROOT = resolve(import.meta.dirname, '..', '..')

/** Files of src/ and packages that `entry` loads through static imports (`import type` is erased). */
function staticClosure(entry: string): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>()
  const packages = new Set<string>()
  const visit = (file: string): void => {
    if (files.has(file)) return
    files.add(file)
    const source = readFileSync(join(ROOT, file), 'utf8')
    for (const m of source.matchAll(/^\s*(import|export)\s+(type\s+)?(?:[^'";]*?\s+from\s+)?'([^']+)'/gm)) {
      if (m[2]) continue
      const specifier = m[3]
      if (specifier.startsWith('.')) {
        const path = relative(ROOT, resolve(ROOT, dirname(file), specifier)).replace(/\.js$/, '.ts')
        if (existsSync(join(ROOT, path))) visit(path)
      } else packages.add(specifier)
    }
  }
  visit(entry)
  return { files, packages }
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [relative(ROOT, path)] : []
  })
}

describe('loading @actions/github', () => {
  it('the action starts without it, and without src/github/', () => {
    const { files, packages } = staticClosure('src/main.ts')
    expect(files).toContain('src/commands/github.ts')
    expect([...files].filter((f) => f.startsWith('src/github/'))).toEqual([])
    expect([...packages].filter((p) => p.startsWith('@actions/') || p.startsWith('@octokit/'))).toEqual(['@actions/core'])
  })

  it('only src/github/client.ts loads it, with import()', () => {
    const users = sourceFiles(join(ROOT, 'src')).filter((f) => readFileSync(join(ROOT, f), 'utf8').includes("'@actions/github'"))
    expect(users).toEqual(['src/github/client.ts'])
    const source = readFileSync(join(ROOT, 'src/github/client.ts'), 'utf8')
    expect(source).toContain("await import('@actions/github')")
    expect(source).not.toMatch(/^import (?!type )[^\n]*'@actions\/github'/m)
  })
})
