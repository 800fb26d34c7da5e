// The working directory's package against Ray 2.58's own packaging (ray/_private/runtime_env/packaging.py):
// the package names below were computed by Ray's get_uri_for_directory on the same tree, and the
// entries are the ones Ray's create_package wrote.
import { describe, expect, it, beforeAll, afterAll } from '@jest/globals'
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { defaultExcludes, gitWildMatch, packageWorkingDir, pathSpec, PackageError } from '../../src/submit/working-dir.js'

const TREE: Record<string, string | null> = {
  'main.py': 'import mymod\nmymod.main()\n',
  'mymod/__init__.py': 'def main():\n    print("hello from mymod")\n',
  'mymod/data.bin': 'x'.repeat(1000),
  'run.sh': '#!/bin/sh\necho hi\n',
  '.gitignore': '*.log\nbuild/\n!keep.log\n',
  'debug.log': 'ignored\n',
  'keep.log': 'kept\n',
  'build/out.o': 'obj',
  'sub/.rayignore': 'secret*\n/local.txt\n',
  'sub/secret.txt': 's',
  'sub/local.txt': 'l',
  'sub/deeper/local.txt': 'kept: /local.txt is anchored to sub/',
  'sub/deeper/[x].txt': 'brackets',
  'data/big.csv': 'a,b\n',
  '.git/HEAD': 'ref\n',
  '__pycache__/m.pyc': 'c',
  'pkg/__pycache__/n.pyc': 'c',
  'empty/': null,
  'ünï.txt': 'unicode name'
}

function makeTree(root: string, tree: Record<string, string | Buffer | null>): void {
  for (const [path, content] of Object.entries(tree)) {
    const abs = join(root, path)
    if (content === null) {
      mkdirSync(abs, { recursive: true })
      continue
    }
    mkdirSync(dirname(abs), { recursive: true })
    writeFileSync(abs, content)
  }
}

/** The names and Unix modes in a zip's central directory. */
function zipEntries(zip: Buffer): { name: string; mode: number; method: number; size: number }[] {
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]))
  const count = zip.readUInt16LE(end + 10)
  let at = zip.readUInt32LE(end + 16)
  const entries = []
  for (let i = 0; i < count; i++) {
    const nameLength = zip.readUInt16LE(at + 28)
    const extra = zip.readUInt16LE(at + 30)
    const comment = zip.readUInt16LE(at + 32)
    entries.push({ name: zip.subarray(at + 46, at + 46 + nameLength).toString('utf8'), mode: zip.readUInt32LE(at + 38) >>> 16, method: zip.readUInt16LE(at + 10), size: zip.readUInt32LE(at + 24) })
    at += 46 + nameLength + extra + comment
  }
  return entries
}

let root: string
let tree: string
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'working-dir-'))
  tree = join(root, 'tree')
  makeTree(tree, TREE)
  chmodSync(join(tree, 'run.sh'), 0o755)
  chmodSync(join(tree, 'empty'), 0o755)
})
afterAll(() => rmSync(root, { recursive: true, force: true }))

describe('packageWorkingDir, as Ray packages a working_dir', () => {
  it("names the package with Ray's content hash, honouring .gitignore, .rayignore, the default and the runtime env's excludes", async () => {
    const pkg = await packageWorkingDir(tree, { excludes: [...defaultExcludes({}), 'data'], includeGitignore: true })
    expect(pkg.uri).toBe('gcs://_ray_pkg_d84967886d17d62d.zip')
    expect(pkg.name).toBe('_ray_pkg_d84967886d17d62d.zip')
  })

  it('names it as Ray does with RAY_RUNTIME_ENV_IGNORE_GITIGNORE=1 (the .gitignore files do not count)', async () => {
    const pkg = await packageWorkingDir(tree, { excludes: [...defaultExcludes({}), 'data'], includeGitignore: false })
    expect(pkg.uri).toBe('gcs://_ray_pkg_899a639b47f1cdea.zip')
  })

  it("holds the entries Ray's create_package writes: files and empty folders, stored, with their Unix modes", async () => {
    const pkg = await packageWorkingDir(tree, { excludes: [...defaultExcludes({}), 'data'], includeGitignore: true })
    const entries = zipEntries(pkg.zip)
    expect(entries.map((e) => e.name).sort()).toEqual(
      ['main.py', 'run.sh', 'mymod/data.bin', 'mymod/__init__.py', 'keep.log', '.gitignore', 'empty/', 'sub/.rayignore', 'sub/deeper/local.txt', 'sub/deeper/[x].txt', 'ünï.txt'].sort()
    )
    expect(entries.find((e) => e.name === 'run.sh')?.mode).toBe(0o100755)
    expect(entries.find((e) => e.name === 'main.py')?.mode).toBe(0o100644)
    expect(entries.find((e) => e.name === 'empty/')?.mode).toBe(0o40755)
    expect(entries.every((e) => e.method === 0)).toBe(true)
    expect(entries.find((e) => e.name === 'mymod/data.bin')?.size).toBe(1000)
    expect(pkg.entries).toBe(11)
  })

  it('gives the same bytes for the same folder, and another name when a file changes', async () => {
    const options = { excludes: defaultExcludes({}), includeGitignore: true }
    const a = await packageWorkingDir(tree, options)
    const b = await packageWorkingDir(tree, options)
    expect(b.zip.equals(a.zip)).toBe(true)
    const copy = join(root, 'copy')
    makeTree(copy, { ...TREE, 'main.py': 'print(1)\n' })
    expect((await packageWorkingDir(copy, options)).name).not.toBe(a.name)
  })

  it('refuses a package over the limit before reading it, naming its size and the limit', async () => {
    const big = join(root, 'big')
    makeTree(big, { 'a.bin': Buffer.alloc(3000), 'b.bin': Buffer.alloc(3000) })
    const refused = packageWorkingDir(big, { excludes: [], includeGitignore: true, maxBytes: 5000 })
    await expect(refused).rejects.toThrow(PackageError)
    await expect(refused).rejects.toThrow(/would be 0\.01 MiB \(6\d{3} bytes\), over the 0\.00 MiB \(5000 bytes\) a Ray Dashboard accepts/)
    // ... and leaving the large file out makes it fit
    writeFileSync(join(big, '.rayignore'), 'b.bin\n')
    await expect(packageWorkingDir(big, { excludes: [], includeGitignore: true, maxBytes: 5000 })).resolves.toMatchObject({ entries: 2 })
  })

  it('refuses a folder that does not exist, or a file', async () => {
    await expect(packageWorkingDir(join(root, 'nope'), { excludes: [], includeGitignore: true })).rejects.toThrow(/does not exist/)
    await expect(packageWorkingDir(join(tree, 'main.py'), { excludes: [], includeGitignore: true })).rejects.toThrow(/is not a folder/)
  })

  it('takes the default excludes from RAY_OVERRIDE_RUNTIME_ENV_DEFAULT_EXCLUDES when set', () => {
    expect(defaultExcludes({})).toEqual(['.git', '.venv', 'venv', '__pycache__'])
    expect(defaultExcludes({ RAY_OVERRIDE_RUNTIME_ENV_DEFAULT_EXCLUDES: '' })).toEqual([])
    expect(defaultExcludes({ RAY_OVERRIDE_RUNTIME_ENV_DEFAULT_EXCLUDES: ' .git , node_modules' })).toEqual(['.git', 'node_modules'])
  })
})

describe("gitwildmatch, as Ray's vendored pathspec translates it", () => {
  // Regexes from GitWildMatchPattern.pattern_to_regex (pathspec 0.x vendored in Ray 2.58).
  it.each([
    ['*.log', '^(?:.+/)?[^/]*\\.log(?:/.*)?$'],
    ['build/', '^(?:.+/)?build/.*$'],
    ['/local.txt', '^local\\.txt(?:/.*)?$'],
    ['a/**/b', '^a(?:/.+)?/b(?:/.*)?$'],
    ['**', '^.+$'],
    ['!keep.log', '^(?:.+/)?keep\\.log$'],
    ['doc/*.md', '^doc/[^/]*\\.md(?:/.*)?$'],
    ['[!a]x', '^(?:.+/)?[^a]x(?:/.*)?$']
  ])('%s', (pattern, regex) => {
    expect(gitWildMatch(pattern)?.regex.source).toBe(new RegExp(regex).source)
  })

  it('skips comments, blank lines and a lone slash', () => {
    expect(gitWildMatch('# comment')).toBeUndefined()
    expect(gitWildMatch('   ')).toBeUndefined()
    expect(gitWildMatch('/')).toBeUndefined()
  })

  it('lets the last matching pattern decide', () => {
    const spec = pathSpec(['*.log', '!keep.log'])
    expect(spec('a.log')).toBe(true)
    expect(spec('keep.log')).toBe(false)
    expect(spec('x/keep.log')).toBe(false)
    expect(spec('main.py')).toBe(false)
    // a folder-only pattern matches what is inside the folder, not the folder's own path (Ray walks into it)
    expect(pathSpec(['build/'])('build')).toBe(false)
    expect(pathSpec(['build/'])('build/out.o')).toBe(true)
  })
})
