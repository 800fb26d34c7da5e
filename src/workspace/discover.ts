// Globs → manifest files inside the workspace. The only file-system code of the lint.
// tinyglobby rather than fs/promises glob and path.matchesGlob: those need Node 22, and the
// command line must also run on the Node 20 of an older clone. It is loaded only for a glob or a
// directory: a lint of files named one by one starts without it.
import { lstat, readdir, realpath, stat } from 'node:fs/promises'
import path, { basename, dirname, relative, resolve } from 'node:path'
import type { PlatformPath } from 'node:path'

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

/**
 * Splits the `manifests` input: newline- or comma-separated globs; a leading "!" excludes. A comma
 * inside braces belongs to the glob: `jobs/{dev,prod}/*.yaml` is one glob.
 */
export function splitGlobs(input: string): string[] {
  const globs: string[] = []
  let current = ''
  let depth = 0
  for (const c of input) {
    if (c === '{') depth++
    else if (c === '}' && depth > 0) depth--
    if (c === '\n' || (c === ',' && depth === 0)) {
      globs.push(current)
      current = ''
      depth = 0
    } else current += c
  }
  globs.push(current)
  return globs.map((g) => g.trim()).filter((g) => g !== '' && !g.startsWith('#'))
}

/** Whether `target` is `root` or below it. `paths` is the runner's path module (path.win32 on Windows; tests pass it). */
export function isInside(root: string, target: string, paths: PlatformPath = path): boolean {
  const rel = paths.relative(root, target)
  return rel === '' || (!rel.startsWith('..') && !paths.isAbsolute(rel))
}

/** A relative path as the findings, annotations and SARIF show it: with `/`, on every runner. */
export const toPosix = (relativePath: string, separator: string = path.sep): string => relativePath.split(separator).join('/')

/** A relative path of plain names: letters, digits, `_`, `-` and dots inside names. */
const PLAIN_PATH = /^[\w-]+(?:\.[\w-]+)*(?:\/[\w-]+(?:\.[\w-]+)*)*$/

const loadTinyglobby = (): Promise<typeof import('tinyglobby')> => import('tinyglobby')

/** Whether a pattern has wildcards (a plain path has none: no need to load tinyglobby to know). */
export async function isGlob(pattern: string): Promise<boolean> {
  return !PLAIN_PATH.test(pattern) && (await loadTinyglobby()).isDynamicPattern(pattern)
}

/** Finds the files the globs name, refusing any glob or match that leaves the workspace. */
export async function discoverManifests(workspace: string, globs: string[]): Promise<Discovery> {
  const root = await realpath(workspace)
  const result: Discovery = { files: [], errors: [], warnings: [] }
  const include = globs.filter((g) => !g.startsWith('!'))
  // Only a glob the user wrote deserves a "matched no file" warning, not the default search.
  const userGlobs = include.length > 0 && include.join('\n') !== DEFAULT_MANIFEST_GLOBS.join('\n')
  const excludes = globs.filter((g) => g.startsWith('!'))
  const ignore = [...ALWAYS_EXCLUDED, ...excludes.flatMap((g) => excluded(g.slice(1)))]
  // Real path → the path it is read under: a file reached through links (or a loop of them) is read once.
  const found = new Map<string, string>()
  const refused = new Map<string, string>()
  const skipped = new Map<string, string>()
  for (const pattern of include.length ? include : DEFAULT_MANIFEST_GLOBS) {
    if (!isInside(root, resolve(root, staticPrefix(pattern))) || leavesAfterWildcard(pattern)) {
      result.errors.push(`"${pattern}" reaches outside the workspace (${root}); manifests must be inside it`)
      continue
    }
    const directory = await isDirectory(root, pattern)
    const dynamic = directory || (await isGlob(pattern))
    const matches = (!directory && excludes.length === 0 ? await plainFile(root, pattern) : undefined) ?? (await globMatches(root, pattern, directory, ignore))
    let matched = 0
    for (const match of matches) {
      const file = await checkMatch(root, match)
      if (file === undefined) continue
      if ('refusal' in file) {
        // A file named by its path must be read; a link that a wildcard happens to find is skipped.
        const into = dynamic ? skipped : refused
        if (!into.has(file.real)) into.set(file.real, dynamic ? `${file.refusal}; it was skipped` : file.refusal)
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
  for (const [real, warning] of skipped) if (!refused.has(real)) result.warnings.push(warning)
  result.files = [...found.values()].sort()
  return result
}

async function globMatches(root: string, pattern: string, directory: boolean, ignore: string[]): Promise<string[]> {
  const { escapePath, glob } = await loadTinyglobby()
  // dot: a manifest under .deploy/ or .github/ is a manifest too (.git is always excluded).
  return glob(directory ? `${escapePath(pattern.replace(/\/+$/, ''))}/${YAML_BELOW}` : pattern, { cwd: root, ignore, expandDirectories: false, onlyFiles: true, dot: true })
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
  if (!isInside(root, absolute)) return { real: absolute, refusal: `"${match}" is outside the workspace (${root}); it was not read` }
  let real: string
  try {
    real = await realpath(absolute)
  } catch {
    return undefined
  }
  if (!isInside(root, real)) return { real, refusal: `"${match}" is a link to ${real}, outside the workspace; it was not read` }
  return { path: toPosix(relative(root, absolute)), real }
}

/** A pattern without wildcards that names a directory means every YAML file below it. */
async function isDirectory(root: string, pattern: string): Promise<boolean> {
  if (await isGlob(pattern)) return false
  const info = await stat(resolve(root, pattern)).catch(() => undefined)
  return info?.isDirectory() === true
}

/**
 * What glob would find for a plain path to a regular file (with no exclude given): the file
 * itself, looked up directly, which spares building a matcher and crawling (most of a one-file
 * lint's discovery). Undefined when glob must decide: a pattern with other characters, a name the
 * default excludes hold (node_modules), a link or anything but a regular file, a name whose case
 * differs from the directory's own listing (a case-insensitive disk finds it; glob does not).
 */
async function plainFile(root: string, pattern: string): Promise<string[] | undefined> {
  if (!PLAIN_PATH.test(pattern) || pattern.split('/').includes('node_modules')) return undefined
  const path = resolve(root, pattern)
  const info = await lstat(path).catch(() => undefined)
  if (!info?.isFile()) return undefined
  const names = await readdir(dirname(path)).catch((): string[] => [])
  return names.includes(basename(path)) ? [pattern] : undefined
}

/** An exclude matches the path itself and, for a directory, everything below it. */
const excluded = (pattern: string): string[] => {
  const clean = pattern.replace(/\/+$/, '')
  return [clean, `${clean}/**`]
}

// A `..` after the first wildcard (`{../../x,y}/*.yaml`, `jobs/*/../../x`) can lead anywhere: refused.
function leavesAfterWildcard(pattern: string): boolean {
  const prefix = staticPrefix(pattern)
  const rest = prefix === '.' ? pattern : pattern.slice(prefix.length)
  return /(^|[/{,])\.\.([/},]|$)/.test(rest)
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
