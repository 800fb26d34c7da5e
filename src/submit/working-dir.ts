// The working-directory input, packaged exactly as `ray job submit --working-dir` packages it (Ray
// 2.58's ray/_private/runtime_env/packaging.py): the same files (Ray's default excludes, the
// runtime env's `excludes`, and the .gitignore and .rayignore files of every folder, read with the
// gitwildmatch rules of Ray's vendored pathspec), the same content hash and so the same package name
// (`_ray_pkg_<hash>.zip`), and the same zip layout (stored, not compressed; files and empty folders,
// with their Unix modes). Reads the folder; writes nothing.
import { readdir, readFile, stat } from 'node:fs/promises'
import type { Stats } from 'node:fs'
import { createHash } from 'node:crypto'
import { join, relative, sep } from 'node:path'
import { crc32 } from 'node:zlib'

/** The largest request body Ray's Dashboard accepts (DASHBOARD_CLIENT_MAX_SIZE; more is HTTP 413), so the largest package `ray job submit` can upload. */
export const PACKAGE_MAX_BYTES = 100 * 1024 * 1024
/** RAY_RUNTIME_ENV_DEFAULT_EXCLUDES (Ray 2.58), overridable with RAY_OVERRIDE_RUNTIME_ENV_DEFAULT_EXCLUDES. */
export const DEFAULT_EXCLUDES = ['.git', '.venv', 'venv', '__pycache__']
export const PACKAGE_PREFIX = '_ray_pkg_'

/** How Ray picks the files: the excludes, and whether .gitignore files count (RAY_RUNTIME_ENV_IGNORE_GITIGNORE=1 turns them off). */
export interface PackageOptions {
  /** The default excludes and the runtime env's `excludes`, gitwildmatch patterns relative to the folder. */
  excludes: string[]
  includeGitignore: boolean
  /** Refuse a package larger than this (default PACKAGE_MAX_BYTES). */
  maxBytes?: number
}

export interface WorkingDirPackage {
  /** `_ray_pkg_<hash>.zip` */
  name: string
  /** `gcs://_ray_pkg_<hash>.zip`, what runtime_env.working_dir names. */
  uri: string
  zip: Buffer
  /** Files and empty folders in the package. */
  entries: number
  /** Paths left out by an exclude or an ignore file (folders count once). */
  excluded: number
}

export class PackageError extends Error {}

/** The excludes Ray applies by default, as its environment variable may override them. */
export function defaultExcludes(env: NodeJS.ProcessEnv): string[] {
  const text = env.RAY_OVERRIDE_RUNTIME_ENV_DEFAULT_EXCLUDES
  return text === undefined ? [...DEFAULT_EXCLUDES] : text.split(',').map((x) => x.trim()).filter(Boolean)
}

// ---------------------------------------------------------------------------------------------
// gitwildmatch, as Ray's vendored pathspec (ray/_private/thirdparty/pathspec) translates it.

interface Pattern {
  regex: RegExp
  include: boolean
}

const escapeRegex = (char: string): string => (/[A-Za-z0-9_]/.test(char) ? char : /[.*+?^${}()|[\]\\/\-#&~\s]/.test(char) ? `\\${char}` : char)

function translateSegment(pattern: string): string {
  let escape = false
  let regex = ''
  let i = 0
  const end = pattern.length
  while (i < end) {
    const char = pattern[i++]
    if (escape) {
      escape = false
      regex += escapeRegex(char)
    } else if (char === '\\') escape = true
    else if (char === '*') regex += '[^/]*'
    else if (char === '?') regex += '[^/]'
    else if (char === '[') {
      let j = i
      if (j < end && pattern[j] === '!') j++
      if (j < end && pattern[j] === ']') j++
      while (j < end && pattern[j] !== ']') j++
      if (j < end) {
        j++
        let expr = '['
        if (pattern[i] === '!') {
          expr += '^'
          i++
        } else if (pattern[i] === '^') {
          expr += '\\^'
          i++
        }
        expr += pattern.slice(i, j).replaceAll('\\', '\\\\')
        regex += expr
        i = j
      } else regex += '\\['
    } else regex += escapeRegex(char)
  }
  return regex
}

/** GitWildMatchPattern.pattern_to_regex: undefined for a comment, a blank line or a lone "/". */
export function gitWildMatch(line: string): Pattern | undefined {
  let pattern = line.trim()
  if (!pattern || pattern.startsWith('#') || pattern === '/') return undefined
  let include = true
  if (pattern.startsWith('!')) {
    include = false
    pattern = pattern.slice(1)
  }
  if (pattern.startsWith('\\')) pattern = pattern.slice(1)
  const segs = pattern.split('/')
  if (!segs[0]) segs.shift()
  else if (segs.length === 1 || (segs.length === 2 && !segs[1])) {
    if (segs[0] !== '**') segs.unshift('**')
  }
  if (segs.length === 0) return undefined
  if (!segs[segs.length - 1] && segs.length > 1) segs[segs.length - 1] = '**'
  const output = ['^']
  let needSlash = false
  const end = segs.length - 1
  segs.forEach((seg, i) => {
    if (seg === '**') {
      if (i === 0 && i === end) output.push('.+')
      else if (i === 0) {
        output.push('(?:.+/)?')
        needSlash = false
      } else if (i === end) output.push('/.*')
      else {
        output.push('(?:/.+)?')
        needSlash = true
      }
    } else if (seg === '*') {
      if (needSlash) output.push('/')
      output.push('[^/]+')
      needSlash = true
    } else {
      if (needSlash) output.push('/')
      output.push(translateSegment(seg))
      if (i === end && include) output.push('(?:/.*)?')
      needSlash = true
    }
  })
  output.push('$')
  try {
    return { regex: new RegExp(output.join('')), include }
  } catch {
    return undefined // Python's re would refuse it too; pathspec then fails, and Ray with it: the closest is to ignore the line
  }
}

/** PathSpec.from_lines('gitwildmatch', lines).match_file: the last pattern that matches decides. */
export function pathSpec(lines: readonly string[]): (path: string) => boolean {
  const patterns = lines.map(gitWildMatch).filter((p): p is Pattern => p !== undefined)
  return (path) => {
    let file = path.replaceAll('\\', '/')
    if (file.startsWith('./')) file = file.slice(2)
    let matched = false
    for (const p of patterns) if (p.regex.test(file)) matched = p.include
    return matched
  }
}

// ---------------------------------------------------------------------------------------------
// The walk (_dir_travel), the hash (_hash_directory) and the zip (_zip_files).

/** An exclude: patterns relative to the folder that holds them. */
type Exclude = (absolute: string) => boolean

const excludeAt = (base: string, lines: readonly string[]): Exclude => {
  const matches = pathSpec(lines)
  return (absolute) => matches(relative(base, absolute).split(sep).join('/') || '.')
}

async function ignoreFile(dir: string, name: string): Promise<Exclude | undefined> {
  let text: string
  try {
    if (!(await stat(join(dir, name))).isFile()) return undefined
    text = await readFile(join(dir, name), 'utf8')
  } catch {
    return undefined
  }
  // Python's readlines, in text mode (universal newlines).
  return excludeAt(dir, text.replace(/\r\n?/g, '\n').split(/(?<=\n)/))
}

interface Entry {
  /** Relative to the folder, "/"-separated; "." for the folder itself. */
  path: string
  absolute: string
  stats?: Stats
  /** A folder with nothing in it at all (Ray zips those, and only those, as folder entries). */
  emptyDir: boolean
}

/** Every path Ray's walk visits (the handler's calls), and how many it left out. */
async function walk(root: string, options: PackageOptions): Promise<{ entries: Entry[]; excluded: number }> {
  const entries: Entry[] = []
  let excluded = 0
  const excludes: Exclude[] = [excludeAt(root, options.excludes)]
  const travel = async (absolute: string): Promise<void> => {
    let stats: Stats | undefined
    try {
      stats = await stat(absolute) // follows links, as Path.is_dir() and is_file() do
    } catch {
      stats = undefined
    }
    const isDir = stats?.isDirectory() ?? false
    const added: Exclude[] = []
    if (isDir) {
      if (options.includeGitignore) {
        const git = await ignoreFile(absolute, '.gitignore')
        if (git) added.push(git)
      }
      const ray = await ignoreFile(absolute, '.rayignore')
      if (ray) added.push(ray)
    }
    excludes.push(...added)
    try {
      if (excludes.some((e) => e(absolute))) {
        excluded++
        return
      }
      const children = isDir ? await readdir(absolute) : []
      entries.push({ path: relative(root, absolute).split(sep).join('/') || '.', absolute, stats, emptyDir: isDir && children.length === 0 })
      for (const child of children) await travel(join(absolute, child))
    } finally {
      excludes.length -= added.length
    }
  }
  await travel(root)
  return { entries, excluded }
}

/** Whether Ray's _zip_files writes this path: a file, or a folder with nothing in it (never the root). */
const zipped = (e: Entry): boolean => e.path !== '.' && (e.emptyDir || (e.stats?.isFile() ?? false))
const zipName = (e: Entry): string => (e.emptyDir ? `${e.path}/` : e.path)

const LOCAL_HEADER = 30
const CENTRAL_HEADER = 46
const END_RECORD = 22
const ZIP64_END = 56 + 20

/** The zip's size from the files' sizes alone: the limit is checked before a byte is read. */
function zipSize(entries: Entry[]): number {
  let size = END_RECORD
  let count = 0
  for (const e of entries.filter(zipped)) {
    const name = Buffer.byteLength(zipName(e))
    size += LOCAL_HEADER + CENTRAL_HEADER + 2 * name + (e.emptyDir ? 0 : (e.stats?.size ?? 0))
    count++
  }
  return count > 0xffff ? size + ZIP64_END : size
}

export const mib = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(2)} MiB`

/**
 * Packages `dir` as Ray would: the package name from Ray's content hash, the zip Ray would upload.
 * Throws a PackageError for a folder that is missing, or whose package would exceed the limit.
 */
export async function packageWorkingDir(dir: string, options: PackageOptions): Promise<WorkingDirPackage> {
  let rootStats: Stats
  try {
    rootStats = await stat(dir)
  } catch {
    throw new PackageError(`working-directory: ${dir} does not exist`)
  }
  if (!rootStats.isDirectory()) throw new PackageError(`working-directory: ${dir} is not a folder`)
  const { entries, excluded } = await walk(dir, options)
  const limit = options.maxBytes ?? PACKAGE_MAX_BYTES
  const size = zipSize(entries)
  if (size > limit) {
    throw new PackageError(
      `working-directory: the package of ${dir} would be ${mib(size)} (${size} bytes), over the ${mib(limit)} (${limit} bytes) a Ray Dashboard accepts (ray job submit --working-dir has the same limit). Leave large files out with .rayignore, .gitignore or the runtime env's excludes, or put them in the image. Nothing was created.`
    )
  }
  // _hash_directory: XOR of sha1(path [+ content]) over every visited path, truncated to 8 bytes by the b"0" * 8 it starts from.
  const hash = Buffer.from('00000000')
  const writer = new ZipWriter(size)
  for (const e of entries) {
    const sha1 = createHash('sha1').update(e.path)
    let content: Buffer | undefined
    if (!e.stats?.isDirectory()) {
      try {
        content = await readFile(e.absolute)
        sha1.update(content)
      } catch {
        content = undefined // Ray skips the content of a file it cannot open
      }
    }
    const digest = sha1.digest()
    for (let i = 0; i < hash.length; i++) hash[i] ^= digest[i]
    if (zipped(e)) {
      if (!e.emptyDir && content === undefined) throw new PackageError(`working-directory: could not read ${e.absolute}`)
      writer.add(zipName(e), content ?? Buffer.alloc(0), e.stats?.mode ?? 0o644, e.emptyDir)
    }
  }
  const name = `${PACKAGE_PREFIX}${hash.toString('hex')}.zip`
  const zip = writer.finish()
  return { name, uri: `gcs://${name}`, zip, entries: writer.count, excluded }
}

/** A zip of stored entries, as Python's ZipFile(..., "w") writes it by default (ZIP_STORED), with a fixed date: the same folder gives the same bytes. */
class ZipWriter {
  private readonly parts: Buffer[] = []
  private readonly central: Buffer[] = []
  private offset = 0
  count = 0

  constructor(private readonly expected: number) {}

  add(name: string, data: Buffer, mode: number, isDir: boolean): void {
    const nameBytes = Buffer.from(name, 'utf8')
    const flags = /[^\x20-\x7e]/.test(name) ? 0x800 : 0
    const crc = crc32(data)
    const DOS_DATE = (0 << 9) | (1 << 5) | 1 // 1980-01-01
    const local = Buffer.alloc(LOCAL_HEADER)
    local.writeUInt32LE(0x04034b50, 0)
    local.writeUInt16LE(20, 4)
    local.writeUInt16LE(flags, 6)
    local.writeUInt16LE(0, 8) // stored
    local.writeUInt16LE(0, 10)
    local.writeUInt16LE(DOS_DATE, 12)
    local.writeUInt32LE(crc, 14)
    local.writeUInt32LE(data.length, 18)
    local.writeUInt32LE(data.length, 22)
    local.writeUInt16LE(nameBytes.length, 26)
    local.writeUInt16LE(0, 28)
    const header = Buffer.alloc(CENTRAL_HEADER)
    header.writeUInt32LE(0x02014b50, 0)
    header.writeUInt16LE((3 << 8) | 20, 4) // made by Unix, 2.0
    header.writeUInt16LE(20, 6)
    header.writeUInt16LE(flags, 8)
    header.writeUInt16LE(0, 10)
    header.writeUInt16LE(0, 12)
    header.writeUInt16LE(DOS_DATE, 14)
    header.writeUInt32LE(crc, 16)
    header.writeUInt32LE(data.length, 20)
    header.writeUInt32LE(data.length, 24)
    header.writeUInt16LE(nameBytes.length, 28)
    header.writeUInt32LE(((((mode & 0xffff) << 16) >>> 0) | (isDir ? 0x10 : 0)) >>> 0, 38) // the Unix mode, which Ray restores on unzip
    header.writeUInt32LE(this.offset, 42)
    this.parts.push(local, nameBytes, data)
    this.central.push(header, nameBytes)
    this.offset += LOCAL_HEADER + nameBytes.length + data.length
    this.count++
  }

  finish(): Buffer {
    const centralSize = this.central.reduce((n, b) => n + b.length, 0)
    const tail: Buffer[] = []
    if (this.count > 0xffff) {
      const zip64 = Buffer.alloc(56)
      zip64.writeUInt32LE(0x06064b50, 0)
      zip64.writeBigUInt64LE(44n, 4)
      zip64.writeUInt16LE(45, 12)
      zip64.writeUInt16LE(45, 14)
      zip64.writeBigUInt64LE(BigInt(this.count), 24)
      zip64.writeBigUInt64LE(BigInt(this.count), 32)
      zip64.writeBigUInt64LE(BigInt(centralSize), 40)
      zip64.writeBigUInt64LE(BigInt(this.offset), 48)
      const locator = Buffer.alloc(20)
      locator.writeUInt32LE(0x07064b50, 0)
      locator.writeBigUInt64LE(BigInt(this.offset + centralSize), 8)
      locator.writeUInt32LE(1, 16)
      tail.push(zip64, locator)
    }
    const end = Buffer.alloc(END_RECORD)
    end.writeUInt32LE(0x06054b50, 0)
    end.writeUInt16LE(Math.min(this.count, 0xffff), 8)
    end.writeUInt16LE(Math.min(this.count, 0xffff), 10)
    end.writeUInt32LE(centralSize, 12)
    end.writeUInt32LE(this.offset, 16)
    const zip = Buffer.concat([...this.parts, ...this.central, ...tail, end])
    if (zip.length !== this.expected) throw new Error(`the zip is ${zip.length} bytes, not the ${this.expected} computed (a file changed while it was packaged?)`)
    return zip
  }
}
