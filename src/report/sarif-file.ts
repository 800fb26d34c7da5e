// Where the `sarif-file` input may point, and writing there without following a link. A pull request
// controls the checked-out tree: it can add `results.sarif` (or a directory on the way to it) as a
// symbolic link to any file the runner can write, so the log is written only inside the workspace or
// RUNNER_TEMP, never through a link, and by renaming a new file into place (a rename replaces a
// directory entry; it never writes into the file an entry points to) (issue 9, defect 6).
import { randomUUID } from 'node:crypto'
import { lstat, mkdir, open, rename, unlink } from 'node:fs/promises'
import path, { basename, dirname, join, relative, sep } from 'node:path'
import type { PlatformPath } from 'node:path'

export interface SarifRoots {
  workspace: string
  /** The runner's temporary directory (RUNNER_TEMP), when there is one. */
  runnerTemp?: string
}

export type SarifTarget = { root: string; path: string } | { error: string }

const WHAT_TO_DO = 'give a path relative to the workspace, such as rayjob-lint.sarif, or an absolute path inside the workspace or RUNNER_TEMP'

/** Below `root`: the relative path from it, or undefined when `target` is the root itself or outside it. Pure. */
function below(root: string, target: string, paths: PlatformPath): string | undefined {
  const rel = paths.relative(root, target)
  if (rel === '' || paths.isAbsolute(rel) || rel === '..' || rel.startsWith(`..${paths.sep}`) || rel.startsWith('../')) return undefined
  return rel
}

/**
 * Where `sarif-file` = `input` may be written, and under which root; or why not. Pure. `paths` is
 * the runner's path module (path.win32 on a Windows runner: the tests pass it explicitly).
 */
export function resolveSarifTarget(input: string, roots: SarifRoots, paths: PlatformPath = path): SarifTarget {
  const allowed = [roots.workspace, ...(roots.runnerTemp ? [roots.runnerTemp] : [])].map((r) => paths.resolve(r))
  const where = `the workspace (${allowed[0]})${allowed[1] ? ` or RUNNER_TEMP (${allowed[1]})` : ''}`
  if (input.split(/[\\/]/).includes('..')) return { error: `sarif-file: "${input}" has a ".." segment; the SARIF log is written only inside ${where}: ${WHAT_TO_DO}` }
  const target = paths.resolve(roots.workspace, input)
  // The innermost root that holds the path (RUNNER_TEMP may lie inside the workspace, or the other way round).
  const root = allowed
    .filter((r) => below(r, target, paths) !== undefined)
    .sort((a, b) => b.length - a.length)
    .at(0)
  if (root === undefined) {
    const isRoot = allowed.some((r) => paths.relative(r, target) === '')
    return { error: `sarif-file: "${input}" ${isRoot ? 'names a directory, not a file' : `is outside ${where}`}: ${WHAT_TO_DO}` }
  }
  return { root, path: target }
}

/**
 * Writes `text` to `path`, which lies below `root`: refuses a symbolic link at any existing part of
 * the path below the root (the file included), creates missing directories one at a time, and
 * renames a new file (opened with O_EXCL, which never follows a link) over the target.
 * Throws an Error naming `input` for the step's failure message.
 */
export async function writeSarifFile(input: string, root: string, path: string, text: string): Promise<void> {
  const parts = relative(root, path).split(sep)
  let current = root
  for (const [i, part] of parts.entries()) {
    current = join(current, part)
    const last = i === parts.length - 1
    const stats = await lstat(current).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return undefined
      throw error
    })
    if (stats?.isSymbolicLink()) {
      const shown = relative(root, current)
      throw new Error(
        last
          ? `sarif-file: "${input}" is a symbolic link (${current}); the SARIF log is never written through a link: remove the link or choose another path`
          : `sarif-file: "${input}" goes through the symbolic link "${shown}" (${current}); the SARIF log is never written through a link: choose a path without one`
      )
    }
    if (last) {
      if (stats?.isDirectory()) throw new Error(`sarif-file: "${input}" is a directory (${current}); name a file in it instead, such as ${join(input, 'rayjob-lint.sarif')}`)
    } else if (!stats) {
      await mkdir(current).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== 'EEXIST') throw error
      })
      // Made by someone else meanwhile: it must still be a real directory.
      if (!(await lstat(current)).isDirectory()) throw new Error(`sarif-file: "${input}": ${current} is not a directory`)
    } else if (!stats.isDirectory()) {
      throw new Error(`sarif-file: "${input}": ${current} is not a directory; choose another path`)
    }
  }
  const temporary = join(dirname(path), `.${basename(path)}.${randomUUID()}.tmp`)
  const file = await open(temporary, 'wx', 0o666)
  try {
    await file.writeFile(text, 'utf8')
    await file.close()
    await rename(temporary, path)
  } catch (error) {
    await file.close().catch(() => {})
    await unlink(temporary).catch(() => {})
    throw error
  }
}
