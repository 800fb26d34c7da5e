// The diff filter on real diffs: a fixture repository made here with git (a changed file, a new
// one, a deleted one, a renamed one, a path git quotes), its `git diff` read back, and reviewdog's
// four modes applied to findings on added, context and untouched lines.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { FILTER_MODES, indexDiff, normalisePath, parsePatch, parseUnifiedDiff, place } from '../../src/github/diff-filter.js'
import type { FileDiff, FilterMode } from '../../src/github/diff-filter.js'

const lines = (n: number, tag: string) => Array.from({ length: n }, (_, i) => `${tag} line ${i + 1}`)
const text = (l: string[]) => `${l.join('\n')}\n`

let repo: string
const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, encoding: 'utf8', env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', HOME: repo } })
let diff: FileDiff[]
let base = ''

/** What the edits below add to jobs/train.yaml (1-based, new side). */
const TRAIN_ADDED = [3, 4, 10, 22, 23]

beforeAll(() => {
  repo = mkdtempSync(join(tmpdir(), 'diff-filter-'))
  git('init', '-q', '-b', 'main')
  git('config', 'user.email', 'test@example.com')
  git('config', 'user.name', 'test')
  git('config', 'core.quotePath', 'true')
  mkdirSync(join(repo, 'jobs'))
  mkdirSync(join(repo, 'docs'))
  writeFileSync(join(repo, 'jobs/train.yaml'), text(lines(20, 'train')))
  writeFileSync(join(repo, 'jobs/untouched.yaml'), text(lines(5, 'untouched')))
  writeFileSync(join(repo, 'jobs/gone.yaml'), text(lines(4, 'gone')))
  writeFileSync(join(repo, 'jobs/rename-me.yaml'), text(lines(12, 'renamed')))
  writeFileSync(join(repo, 'docs/ünïcode job.yaml'), text(lines(3, 'unicode')))
  writeFileSync(join(repo, 'jobs/minus.yaml'), text(['-- a line that looks like a diff header', 'keep', '-- another']))
  git('add', '-A')
  git('commit', '-q', '-m', 'base')
  base = git('rev-parse', 'HEAD').trim()

  // train.yaml: line 3 changed, a line inserted after it, old line 9 (now 10) changed, two lines appended (22, 23).
  const train = lines(20, 'train')
  train[2] = 'train line 3, changed'
  train.splice(3, 0, 'inserted after 3')
  train[9] = 'train line 9, changed'
  train.push('appended 1', 'appended 2')
  writeFileSync(join(repo, 'jobs/train.yaml'), text(train))
  writeFileSync(join(repo, 'jobs/new.yaml'), text(lines(6, 'new')))
  rmSync(join(repo, 'jobs/gone.yaml'))
  git('mv', 'jobs/rename-me.yaml', 'jobs/renamed.yaml')
  const renamed = lines(12, 'renamed')
  renamed[11] = 'renamed line 12, changed'
  writeFileSync(join(repo, 'jobs/renamed.yaml'), text(renamed))
  writeFileSync(join(repo, 'docs/ünïcode job.yaml'), text([...lines(3, 'unicode'), 'unicode added']))
  // A removed line that starts with "-- " is "--- ..." in the diff: the hunk's counts, not its look, end it.
  writeFileSync(join(repo, 'jobs/minus.yaml'), text(['keep', '-- another', '+++ added, looks like a header']))
  git('add', '-A')
  git('commit', '-q', '-m', 'head')
  diff = parseUnifiedDiff(git('diff', '--find-renames', base, 'HEAD'))
})

afterAll(() => rmSync(repo, { recursive: true, force: true }))

const byPath = (path: string) => diff.find((f) => f.path === path)!
const added = (f: FileDiff) => [...f.lines].filter(([, k]) => k === 'added').map(([n]) => n)

describe('parseUnifiedDiff on a real git diff', () => {
  it('reads each file by its new path: changed, added, renamed, and the one git quotes; a deleted file has none', () => {
    expect(diff.map((f) => f.path).sort()).toEqual(['', 'docs/ünïcode job.yaml', 'jobs/minus.yaml', 'jobs/new.yaml', 'jobs/renamed.yaml', 'jobs/train.yaml'].sort())
    expect(byPath('jobs/renamed.yaml').oldPath).toBe('jobs/rename-me.yaml')
    expect(diff.find((f) => f.path === '')!.oldPath).toBe('jobs/gone.yaml')
  })

  it('knows exactly which lines were added', () => {
    expect(added(byPath('jobs/train.yaml'))).toEqual(TRAIN_ADDED)
    expect(added(byPath('jobs/new.yaml'))).toEqual([1, 2, 3, 4, 5, 6])
    expect(added(byPath('jobs/renamed.yaml'))).toEqual([12])
    expect(added(byPath('docs/ünïcode job.yaml'))).toEqual([4])
    expect(added(byPath('jobs/minus.yaml'))).toEqual([3])
  })

  it('agrees with git on the count of added lines of every file (git diff --numstat)', () => {
    const numstat = git('diff', '--numstat', '--find-renames', '-z', base, 'HEAD')
    // -z: "added\tdeleted\tpath\0", or for a rename "added\tdeleted\t\0old\0new\0".
    const parts = numstat.split('\0')
    const counts = new Map<string, number>()
    for (let i = 0; i < parts.length - 1; i++) {
      const [add, , path] = parts[i].split('\t')
      if (path === '') {
        counts.set(parts[i + 2], Number(add))
        i += 2
      } else counts.set(path, Number(add))
    }
    for (const f of diff.filter((d) => d.path)) expect({ path: f.path, added: added(f).length }).toEqual({ path: f.path, added: counts.get(f.path) })
  })

  it('has the context lines git shows around each change (3 by default), and no line further away', () => {
    const train = byPath('jobs/train.yaml')
    const shown = [...train.lines.keys()].sort((a, b) => a - b)
    // Changes at 3-4 and 10: lines 1..13 in one hunk; the appended 22-23 with 19-21 before them.
    expect(shown).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 19, 20, 21, 22, 23])
    // Every line the diff shows has the text the new file has there.
    const head = readFileSync(join(repo, 'jobs/train.yaml'), 'utf8').split('\n')
    expect(head[TRAIN_ADDED[0] - 1]).toBe('train line 3, changed')
  })

  it('reads the same lines with -U0 and -U10 where only the context differs', () => {
    const u0 = indexDiff(parseUnifiedDiff(git('diff', '-U0', '--find-renames', base, 'HEAD')))
    const u10 = indexDiff(parseUnifiedDiff(git('diff', '-U10', '--find-renames', base, 'HEAD')))
    for (const f of diff.filter((d) => d.path)) {
      expect(added(u0.get(f.path)!)).toEqual(added(f))
      expect(added(u10.get(f.path)!)).toEqual(added(f))
      expect([...u0.get(f.path)!.lines.values()].every((k) => k === 'added')).toBe(true)
    }
  })
})

describe("reviewdog's filter modes", () => {
  const expected: Record<FilterMode, [boolean, boolean, boolean, boolean]> = {
    //            added line, context line, same file far away, untouched file
    added: [true, false, false, false],
    'diff-context': [true, true, false, false],
    file: [true, true, true, false],
    nofilter: [true, true, true, true]
  }
  it.each(FILTER_MODES.map((m) => [m]))('%s', (mode) => {
    const index = indexDiff(diff)
    const at = (path: string, line: number) => place(index, mode, path, line)
    const got = [at('jobs/train.yaml', 10), at('jobs/train.yaml', 12), at('jobs/train.yaml', 16), at('jobs/untouched.yaml', 2)]
    expect(got.map((p) => p.reported)).toEqual(expected[mode])
    // Whether a review comment can go there does not depend on the mode.
    expect(got.map((p) => p.onDiffLine)).toEqual([true, true, false, false])
  })

  it('takes a finding path as the workspace gives it (./, backslashes)', () => {
    const index = indexDiff(diff)
    expect(place(index, 'added', './jobs/train.yaml', 3).reported).toBe(true)
    expect(place(index, 'added', 'jobs\\new.yaml', 1).reported).toBe(true)
    expect(normalisePath('.//a//b/')).toBe('a/b')
  })

  it('finds nothing in a deleted file, and a file with no hunks counts only for file and nofilter', () => {
    const index = indexDiff([...diff, parsePatch('assets/logo.png', undefined), parsePatch('jobs/gone.yaml', '@@ -1,4 +0,0 @@\n-a\n-b\n-c\n-d', undefined, true)])
    expect(index.has('jobs/gone.yaml')).toBe(false)
    expect(place(index, 'added', 'assets/logo.png', 1)).toEqual({ reported: false, onDiffLine: false })
    expect(place(index, 'file', 'assets/logo.png', 1)).toEqual({ reported: true, onDiffLine: false })
  })
})

describe('other diffs', () => {
  it("reads GitHub's per-file patch (hunks only), as the pull request files list gives it", () => {
    const f = parsePatch('jobs/a.yaml', '@@ -1,3 +1,4 @@\n one\n-two\n+two!\n+two and a half\n three\n\\ No newline at end of file')
    expect([...f.lines]).toEqual([
      [1, 'context'],
      [2, 'added'],
      [3, 'added'],
      [4, 'context']
    ])
  })

  it('reads diff -u output (no git header), CRLF line ends, an empty context line without its space, and hunks without counts', () => {
    const d = parseUnifiedDiff(['--- a.yaml\t2024-01-01 00:00:00', '+++ a.yaml\t2024-01-02 00:00:00', '@@ -1,3 +1,3 @@', ' x', '', '-y', '+z', '@@ -9 +9 @@', '-p', '+q'].join('\r\n'))
    expect(d).toHaveLength(1)
    expect(d[0].path).toBe('a.yaml')
    expect([...d[0].lines]).toEqual([
      [1, 'context'],
      [2, 'context'],
      [3, 'added'],
      [9, 'added']
    ])
  })

  it('joins two diffs of one file', () => {
    const index = indexDiff([parsePatch('a', '@@ -1 +1 @@\n-x\n+y'), parsePatch('a', '@@ -5,2 +5,2 @@\n c\n-x\n+y')])
    expect([...index.get('a')!.lines].sort()).toEqual([
      [1, 'added'],
      [5, 'context'],
      [6, 'added']
    ])
  })

  it('stops at a hunk that is cut short rather than reading on into the next file', () => {
    const d = parseUnifiedDiff(['diff --git a/a b/a', '--- a/a', '+++ b/a', '@@ -1,5 +1,5 @@', '+only one line', 'diff --git a/b b/b', '--- a/b', '+++ b/b', '@@ -0,0 +1 @@', '+b'].join('\n'))
    expect(d.map((f) => [f.path, added(f)])).toEqual([
      ['a', [1]],
      ['b', [1]]
    ])
  })
})
