// Globs → manifest files inside the workspace. The only file-system code of the lint.
import { glob, realpath } from 'node:fs/promises'
import { isAbsolute, matchesGlob, relative, resolve, sep } from 'node:path'

export const DEFAULT_MANIFEST_GLOBS = ['**/*.yaml', '**/*.yml']
const ALWAYS_EXCLUDED = /(^|[\\/])(node_modules|\.git)$/

export interface Discovery {
  /** Workspace-relative paths with forward slashes, sorted, each once. */
  files: string[]
  /** Globs refused (they reach outside the workspace) or matching nothing. */
  errors: string[]
  warnings: string[]
}

/** Splits the `manifests` input: newline- or comma-separated globs; a leading "!" excludes. */
export function splitGlobs(input: string): string[] {
  return input
    .split(/[\n,]/)
    .map((g) => g.trim())
    .filter((g) => g !== '' && !g.startsWith('#'))
}

const inside = (root: string, path: string): boolean => {
  const rel = relative(root, path)
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel))
}

/** Finds the files the globs name, refusing any glob or match that leaves the workspace. */
export async function discoverManifests(workspace: string, globs: string[]): Promise<Discovery> {
  const root = await realpath(workspace)
  const result: Discovery = { files: [], errors: [], warnings: [] }
  const include = globs.filter((g) => !g.startsWith('!'))
  const exclude = globs.filter((g) => g.startsWith('!')).map((g) => g.slice(1))
  const patterns = include.length ? include : DEFAULT_MANIFEST_GLOBS
  const found = new Set<string>()
  for (const pattern of patterns) {
    const base = staticPrefix(pattern)
    if (!inside(root, resolve(root, base))) {
      result.errors.push(`the glob "${pattern}" reaches outside the workspace (${root}); manifests must be inside it`)
      continue
    }
    let matched = 0
    for await (const match of glob(pattern, { cwd: root, exclude: (p: string) => ALWAYS_EXCLUDED.test(p) || exclude.some((e) => matches(p, e)) })) {
      const absolute = resolve(root, match)
      let real: string
      try {
        real = await realpath(absolute)
      } catch {
        continue // a dangling link
      }
      if (!inside(root, real)) {
        result.errors.push(`"${match}" is a link to ${real}, outside the workspace; it was not read`)
        continue
      }
      if (!/\.(ya?ml)$/i.test(match) && patterns === DEFAULT_MANIFEST_GLOBS) continue
      const rel = relative(root, absolute).split(sep).join('/')
      if (ALWAYS_EXCLUDED.test(rel.split('/').slice(0, -1).join('/'))) continue
      matched++
      found.add(rel)
    }
    if (matched === 0 && include.length) result.warnings.push(`the glob "${pattern}" matched no file`)
  }
  result.files = [...found].sort()
  return result
}

/** The part of a glob before its first wildcard, which says where matching starts. */
function staticPrefix(pattern: string): string {
  const parts = pattern.split('/')
  const fixed: string[] = []
  for (const part of parts) {
    if (/[*?[\]{}!]/.test(part)) break
    fixed.push(part)
  }
  return fixed.join('/') || '.'
}

function matches(path: string, pattern: string): boolean {
  const normalized = path.split(sep).join('/')
  return matchesGlobSafe(normalized, pattern) || matchesGlobSafe(normalized, `${pattern.replace(/\/$/, '')}/**`)
}

function matchesGlobSafe(path: string, pattern: string): boolean {
  try {
    return matchesGlob(path, pattern)
  } catch {
    return false
  }
}
