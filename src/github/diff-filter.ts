// Which findings a pull request is judged on: unified diffs (`git diff`, or the `patch` of each file
// GitHub lists for a pull request) read into the lines each file's new side has in the diff, and
// reviewdog's four filter modes applied to a finding's file and line. Pure.

/** reviewdog's filter modes (its `diff_context` is spelt `diff-context` here). */
export type FilterMode = 'added' | 'diff-context' | 'file' | 'nofilter'

export const FILTER_MODES: readonly FilterMode[] = ['added', 'diff-context', 'file', 'nofilter']

/** One file of a diff, by its path on the new side. */
export interface FileDiff {
  /** The path after the change, relative to the repository's root ('' for a deleted file). */
  path: string
  /** The path before, when it differs (a rename or copy); '' for an added file. */
  oldPath?: string
  /** The new side's lines that the diff shows: added ('+') or context (' '). */
  lines: Map<number, 'added' | 'context'>
  /** The diff shows no lines of this file (binary, a pure rename or mode change, or a patch GitHub left out). */
  noHunks: boolean
}

/** Where a finding sits with respect to a diff. */
export interface Placement {
  /** Whether the filter mode reports it (it becomes a review comment, and judges the step). */
  reported: boolean
  /** Whether its line is one the diff shows, so that a review comment can be put on it. */
  onDiffLine: boolean
}

const HUNK = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/

/**
 * The files of a unified diff as `git diff` writes it (several files, each with its `diff --git`
 * header), or as `diff -u` does (`---`/`+++` headers only). Paths lose their `a/` and `b/` prefix;
 * quoted paths (git's core.quotePath) are unquoted.
 */
export function parseUnifiedDiff(text: string): FileDiff[] {
  const lines = splitLines(text)
  const files: FileDiff[] = []
  // The file being read, and whether its ---/+++ header has been (a `diff -u` file starts there).
  let current: { file: FileDiff; headerRead: boolean } | undefined
  const start = (): { file: FileDiff; headerRead: boolean } => {
    const started = { file: { path: '', lines: new Map(), noHunks: true }, headerRead: false }
    files.push(started.file)
    return started
  }
  for (let i = 0; i < lines.length; ) {
    const line = lines[i]
    if (line.startsWith('diff --git ')) {
      current = start()
      const paths = gitHeaderPaths(line.slice('diff --git '.length))
      if (paths) [current.file.oldPath, current.file.path] = paths
      i++
    } else if (line.startsWith('--- ') && lines[i + 1]?.startsWith('+++ ')) {
      if (!current || current.headerRead || !current.file.noHunks) current = start()
      current.file.oldPath = diffPath(line.slice(4))
      current.file.path = diffPath(lines[i + 1].slice(4))
      current.headerRead = true
      i += 2
    } else if (current && HUNK.test(line)) {
      i = readHunk(lines, i, current.file)
    } else {
      const file = current?.file
      if (file && line.startsWith('rename to ')) file.path = unquote(line.slice('rename to '.length))
      else if (file && line.startsWith('copy to ')) file.path = unquote(line.slice('copy to '.length))
      else if (file && line.startsWith('deleted file mode')) file.path = ''
      i++
    }
  }
  return files.map(normalise)
}

/** One file as GitHub's "list pull request files" gives it: its path and the `patch` (hunks only; absent for binary or very large diffs). */
export function parsePatch(path: string, patch: string | undefined, previousPath?: string, removed = false): FileDiff {
  const file: FileDiff = { path: removed ? '' : path, oldPath: previousPath, lines: new Map(), noHunks: true }
  const lines = splitLines(patch ?? '')
  for (let i = 0; i < lines.length; ) i = HUNK.test(lines[i]) ? readHunk(lines, i, file) : i + 1
  return normalise(file)
}

/** The files by their new path (deleted files are left out: nothing can be found in them). */
export type DiffIndex = ReadonlyMap<string, FileDiff>

export function indexDiff(files: readonly FileDiff[]): DiffIndex {
  const index = new Map<string, FileDiff>()
  for (const f of files) {
    if (!f.path) continue
    const seen = index.get(f.path)
    if (!seen) index.set(f.path, { ...f, lines: new Map(f.lines) })
    else {
      // The same file twice (two diffs joined): its lines are the union.
      for (const [n, kind] of f.lines) if (seen.lines.get(n) !== 'added') seen.lines.set(n, kind)
      seen.noHunks &&= f.noHunks
    }
  }
  return index
}

/**
 * reviewdog's ShouldReport: `nofilter` reports everything; `file`, every finding in a file the
 * diff changes; `diff-context`, every finding on a line the diff shows; `added`, every finding on
 * an added line. `path` is relative to the repository's root, as the diff's paths are.
 */
export function place(index: DiffIndex, mode: FilterMode, path: string, line: number): Placement {
  const file = index.get(normalisePath(path))
  if (!file) return { reported: mode === 'nofilter', onDiffLine: false }
  const kind = file.lines.get(line)
  if (!kind) return { reported: mode === 'nofilter' || mode === 'file', onDiffLine: false }
  return { reported: mode !== 'added' || kind === 'added', onDiffLine: true }
}

/** A path as the diff spells it: forward slashes, no leading "./", no doubled or trailing slashes. */
export function normalisePath(path: string): string {
  return path
    .replace(/\\/g, '/')
    .replace(/\/{2,}/g, '/')
    .replace(/^(\.\/)+/, '')
    .replace(/\/$/, '')
}

/** Reads the hunk whose header is lines[at] into `file`; returns the index after it. */
function readHunk(lines: string[], at: number, file: FileDiff): number {
  const m = HUNK.exec(lines[at])!
  let oldLeft = m[2] === undefined ? 1 : Number(m[2])
  let newLeft = m[4] === undefined ? 1 : Number(m[4])
  let newLine = Number(m[3])
  file.noHunks = false
  let i = at + 1
  // The header's counts say where the hunk ends: a removed line may well start with "--- " or "diff".
  while (i < lines.length && (oldLeft > 0 || newLeft > 0)) {
    const line = lines[i]
    const tag = line[0]
    if (tag === '+' && newLeft > 0) {
      file.lines.set(newLine++, 'added')
      newLeft--
    } else if (tag === '-' && oldLeft > 0) oldLeft--
    else if ((tag === ' ' || line === '') && oldLeft > 0 && newLeft > 0) {
      // Context ("" too: some tools strip the space of an empty context line).
      file.lines.set(newLine++, 'context')
      oldLeft--
      newLeft--
    } else if (tag !== '\\') break // not part of this hunk after all: a truncated or hand-edited diff
    i++
  }
  // "\ No newline at end of file" may follow the last line.
  while (i < lines.length && lines[i].startsWith('\\')) i++
  return i
}

/** The `a/...` and `b/...` paths of a `diff --git` line, without their prefixes; undefined when they cannot be told apart. */
function gitHeaderPaths(rest: string): [string, string] | undefined {
  if (rest.startsWith('"')) {
    const first = readQuoted(rest)
    if (!first) return undefined
    const second = rest.slice(first.length + 1)
    return [stripPrefix(unquote(first.raw)), stripPrefix(unquote(second))]
  }
  if (rest.endsWith('"')) {
    const open = rest.lastIndexOf(' "')
    return open < 0 ? undefined : [stripPrefix(rest.slice(0, open)), stripPrefix(unquote(rest.slice(open + 1)))]
  }
  // Unquoted paths may hold spaces: the one split where both halves name the same file (the usual
  // case, no rename), else the last " b/".
  const half = (rest.length - 1) / 2
  if (Number.isInteger(half) && rest[half] === ' ' && rest.slice(2, half) === rest.slice(half + 3)) return [rest.slice(2, half), rest.slice(half + 3)]
  const split = rest.lastIndexOf(' b/')
  return split < 0 ? undefined : [stripPrefix(rest.slice(0, split)), rest.slice(split + 3)]
}

/** A `---`/`+++` header's path: unquoted, its timestamp (diff -u) and a/ or b/ prefix removed; '' for /dev/null. */
function diffPath(header: string): string {
  let path = header.startsWith('"') ? unquote(readQuoted(header)?.raw ?? header) : header.split('\t')[0]
  if (path === '/dev/null') return ''
  path = stripPrefix(path)
  return normalisePath(path)
}

function stripPrefix(path: string): string {
  return /^[abciwo12]\//.test(path) ? path.slice(2) : path
}

/** The quoted string at the start of `text` (git's C-style quoting), as written. */
function readQuoted(text: string): { raw: string; length: number } | undefined {
  for (let i = 1; i < text.length; i++) {
    if (text[i] === '\\') i++
    else if (text[i] === '"') return { raw: text.slice(0, i + 1), length: i + 1 }
  }
  return undefined
}

/** git's C-style quoted path ("t\303\251st.yaml") as text; an unquoted one as it is. */
function unquote(text: string): string {
  if (!text.startsWith('"') || !text.endsWith('"') || text.length < 2) return text
  const bytes: number[] = []
  const body = text.slice(1, -1)
  const escapes: Record<string, number> = { a: 7, b: 8, t: 9, n: 10, v: 11, f: 12, r: 13, '"': 34, '\\': 92 }
  for (let i = 0; i < body.length; i++) {
    const c = body[i]
    if (c !== '\\') {
      bytes.push(...Buffer.from(c, 'utf8'))
      continue
    }
    const next = body[i + 1]
    if (/[0-3]/.test(next) && /^[0-7]{3}$/.test(body.slice(i + 1, i + 4))) {
      bytes.push(Number.parseInt(body.slice(i + 1, i + 4), 8))
      i += 3
    } else {
      bytes.push(escapes[next] ?? next.charCodeAt(0))
      i++
    }
  }
  return Buffer.from(bytes).toString('utf8')
}

function splitLines(text: string): string[] {
  return text.split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l))
}

function normalise(file: FileDiff): FileDiff {
  return { ...file, path: file.path ? normalisePath(file.path) : '', ...(file.oldPath ? { oldPath: normalisePath(file.oldPath) } : {}) }
}
