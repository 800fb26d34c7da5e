// Where `sarif-file` may point (issue 9, defect 6): inside the workspace or RUNNER_TEMP, no ".."
// segment, never the root itself; and writing there never goes through a symbolic link.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { mkdir, mkdtemp, readFile, readdir, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { resolveSarifTarget, writeSarifFile } from '../../src/report/sarif-file.js'

const roots = { workspace: '/home/runner/work/repo/repo', runnerTemp: '/home/runner/work/_temp' }

describe('resolveSarifTarget', () => {
  test.each([
    ['rayjob-lint.sarif', roots.workspace, '/home/runner/work/repo/repo/rayjob-lint.sarif'],
    ['reports/./x.sarif', roots.workspace, '/home/runner/work/repo/repo/reports/x.sarif'],
    ['..hidden/x.sarif', roots.workspace, '/home/runner/work/repo/repo/..hidden/x.sarif'],
    ['/home/runner/work/repo/repo/a.sarif', roots.workspace, '/home/runner/work/repo/repo/a.sarif'],
    ['/home/runner/work/_temp/a.sarif', roots.runnerTemp, '/home/runner/work/_temp/a.sarif']
  ])('%s is written below %s', (input, root, path) => {
    expect(resolveSarifTarget(input, roots)).toEqual({ root, path })
  })

  test('RUNNER_TEMP inside the workspace: the innermost root holds the file', () => {
    expect(resolveSarifTarget('tmp/a.sarif', { workspace: '/w', runnerTemp: '/w/tmp' })).toEqual({ root: '/w/tmp', path: '/w/tmp/a.sarif' })
  })

  test.each(['../a.sarif', 'a/../../a.sarif', 'a/..', '..\\a.sarif', '/home/runner/work/repo/repo/../x.sarif'])('%s: a ".." segment is refused', (input) => {
    expect(resolveSarifTarget(input, roots)).toEqual({
      error: `sarif-file: "${input}" has a ".." segment; the SARIF log is written only inside the workspace (${roots.workspace}) or RUNNER_TEMP (${roots.runnerTemp}): give a path relative to the workspace, such as rayjob-lint.sarif, or an absolute path inside the workspace or RUNNER_TEMP`
    })
  })

  test('an absolute path outside both is refused; without RUNNER_TEMP only the workspace is named', () => {
    expect(resolveSarifTarget('/etc/passwd', { workspace: '/w' })).toEqual({
      error: 'sarif-file: "/etc/passwd" is outside the workspace (/w): give a path relative to the workspace, such as rayjob-lint.sarif, or an absolute path inside the workspace or RUNNER_TEMP'
    })
    expect(resolveSarifTarget('/home/runner/work/_temp/a.sarif', { workspace: '/w' })).toHaveProperty('error')
  })

  test('the workspace itself is a directory, not a file', () => {
    expect(resolveSarifTarget('.', roots)).toEqual({
      error: 'sarif-file: "." names a directory, not a file: give a path relative to the workspace, such as rayjob-lint.sarif, or an absolute path inside the workspace or RUNNER_TEMP'
    })
  })
})

describe('writeSarifFile', () => {
  let root: string
  let outside: string
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'sarif-root-'))
    outside = await mkdtemp(join(tmpdir(), 'sarif-outside-'))
  })
  afterAll(async () => {
    await rm(root, { recursive: true, force: true })
    await rm(outside, { recursive: true, force: true })
  })

  test('creates the missing directories and the file', async () => {
    await writeSarifFile('a/b/c.sarif', root, join(root, 'a', 'b', 'c.sarif'), '{}\n')
    expect(await readFile(join(root, 'a', 'b', 'c.sarif'), 'utf8')).toBe('{}\n')
    expect(await readdir(join(root, 'a', 'b'))).toEqual(['c.sarif'])
  })

  test('a dangling link is refused too (it would create a file where the link points)', async () => {
    await symlink(join(outside, 'created.txt'), join(root, 'dangling.sarif'))
    await expect(writeSarifFile('dangling.sarif', root, join(root, 'dangling.sarif'), 'x')).rejects.toThrow('sarif-file: "dangling.sarif" is a symbolic link')
    expect(await readdir(outside)).toEqual([])
  })

  test('a directory is not replaced', async () => {
    await mkdir(join(root, 'dir.sarif'))
    await expect(writeSarifFile('dir.sarif', root, join(root, 'dir.sarif'), 'x')).rejects.toThrow('sarif-file: "dir.sarif" is a directory')
  })

  test('a file on the way is not a directory', async () => {
    await writeFile(join(root, 'plain'), 'x')
    await expect(writeSarifFile('plain/x.sarif', root, join(root, 'plain', 'x.sarif'), 'x')).rejects.toThrow('is not a directory')
  })
})
