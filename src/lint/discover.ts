// Globs → manifest files inside the workspace. The only file-system code of the lint.
// tinyglobby rather than fs/promises glob and path.matchesGlob: those need Node 22, and the
// command line must also run on the Node 20 of an older clone.
import { realpath, stat } from 'node:fs/promises'
import { isAbsolute, relative, resolve, sep } from 'node:path'
import { escapePath, glob, isDynamicPattern } from 'tinyglobby'

export const DEFAULT_MANIFEST_GLOBS = ['**/*.yaml', '**/*.yml']
/** What a directory named instead of a glob stands for. */
const YAML_BELOW = '**/*.{yaml,yml}'
const ALWAYS_EXCLUDED = ['**/node_modules/**', '**/.git/**']

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

const toPosix = (path: string): string => path.split(sep).join('/')

/** Finds the files the globs name, refusing any glob or match that leaves the workspace. */
export async function discoverManifests(workspace: string, globs: string[]): Promise<Discovery> {
  const root = await realpath(workspace)
  const result: Discovery = { files: [], errors: [], warnings: [] }
  const include = globs.filter((g) => !g.startsWith('!'))
  // Only a glob the user wrote deserves a "matched no file" warning, not the default search.
  const userGlobs = include.length > 0 && include.join('\n') !== DEFAULT_MANIFEST_GLOBS.join('\n')
  const ignore = [...ALWAYS_EXCLUDED, ...globs.filter((g) => g.startsWith('!')).flatMap((g) => excluded(g.slice(1)))]
  // Real path → the path it is read under: a file reached through links (or a loop of them) is read once.
  const found = new Map<string, string>()
  const refused = new Map<string, string>()
  for (const pattern of include.length ? include : DEFAULT_MANIFEST_GLOBS) {
    if (!inside(root, resolve(root, staticPrefix(pattern)))) {
      result.errors.push(`"${pattern}" reaches outside the workspace (${root}); manifests must be inside it`)
      continue
    }
    const directory = await isDirectory(root, pattern)
    const matches = await glob(directory ? `${escapePath(pattern.replace(/\/+$/, ''))}/${YAML_BELOW}` : pattern, {
      cwd: root,
      ignore,
      expandDirectories: false,
      onlyFiles: true
    })
    let matched = 0
    for (const match of matches) {
      const file = await checkMatch(root, match)
      if (file === undefined) continue
      if ('refusal' in file) {
        if (!refused.has(file.real)) refused.set(file.real, file.refusal)
        continue
      }
      matched++
      if (plainer(file.path, found.get(file.real), toPosix(relative(root, file.real)))) found.set(file.real, file.path)
    }
    if (matched === 0 && userGlobs) {
      result.warnings.push(directory ? `the directory "${pattern}" holds no *.yaml or *.yml file` : `the glob "${pattern}" matched no file`)
    }
  }
  result.errors.push(...refused.values())
  result.files = [...found.values()].sort()
  return result
}

/** Whether `path` names a file better than `current`: the file's own path first, then the path with fewer directories. */
function plainer(path: string, current: string | undefined, own: string): boolean {
  if (current === undefined || path === own) return true
  return current !== own && path.split('/').length < current.split('/').length
}

type Match = { path: string; real: string } | { real: string; refusal: string }

/** A match and the real file behind it, or why it must not be read; undefined for a dangling link. */
async function checkMatch(root: string, match: string): Promise<Match | undefined> {
  const absolute = resolve(root, match)
  if (!inside(root, absolute)) return { real: absolute, refusal: `"${match}" is outside the workspace (${root}); it was not read` }
  let real: string
  try {
    real = await realpath(absolute)
  } catch {
    return undefined
  }
  if (!inside(root, real)) return { real, refusal: `"${match}" is a link to ${real}, outside the workspace; it was not read` }
  return { path: toPosix(relative(root, absolute)), real }
}

/** A pattern without wildcards that names a directory means every YAML file below it. */
async function isDirectory(root: string, pattern: string): Promise<boolean> {
  if (isDynamicPattern(pattern)) return false
  const info = await stat(resolve(root, pattern)).catch(() => undefined)
  return info?.isDirectory() === true
}

/** An exclude matches the path itself and, for a directory, everything below it. */
const excluded = (pattern: string): string[] => {
  const clean = pattern.replace(/\/+$/, '')
  return [clean, `${clean}/**`]
}

/** The part of a glob before its first wildcard, which says where matching starts. */
function staticPrefix(pattern: string): string {
  const fixed: string[] = []
  for (const part of pattern.split('/')) {
    if (/[*?[\]{}!]/.test(part)) break
    fixed.push(part)
  }
  return fixed.join('/') || '.'
}
