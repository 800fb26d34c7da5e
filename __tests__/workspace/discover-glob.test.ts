// A plain path is looked up directly, without tinyglobby: it must find exactly what the same path
// as a glob finds (links in and out of the workspace, dangling links, node_modules, missing
// files, a name in the wrong case).
import { afterAll, beforeAll, expect, test } from '@jest/globals'
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { discoverManifests, isGlob } from '../../src/workspace/discover.js'

let base: string
let workspace: string

beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'rayjob-plain-path-'))
  workspace = join(base, 'repo')
  for (const path of ['jobs/train.yaml', 'jobs/v1.2/serve.yml', 'node_modules/pkg/job.yaml', 'a-b/c_d.yaml', 'outside.yaml']) {
    const root = path === 'outside.yaml' ? base : workspace
    await mkdir(join(root, path, '..'), { recursive: true })
    await writeFile(join(root, path), 'kind: RayJob\n')
  }
  await symlink(join(workspace, 'jobs', 'train.yaml'), join(workspace, 'jobs', 'link.yaml'))
  await symlink(join(base, 'outside.yaml'), join(workspace, 'jobs', 'out.yaml'))
  await symlink(join(workspace, 'nowhere.yaml'), join(workspace, 'jobs', 'dangling.yaml'))
})

afterAll(async () => {
  await rm(base, { recursive: true, force: true })
})

/** The same path as a glob: its last name's first character in brackets, so tinyglobby must match it. */
const asGlob = (path: string): string => path.replace(/([^/])([^/]*)$/, '[$1]$2')

test('a plain path finds what the same path as a glob finds', async () => {
  // (jobs/out.yaml, a link to outside, is the one difference by design: named by its path it is an
  // error, found by a wildcard it is skipped with a warning; see __tests__/lint/discover.test.ts.)
  const paths = ['jobs/train.yaml', 'jobs/v1.2/serve.yml', 'jobs/link.yaml', 'jobs/dangling.yaml', 'node_modules/pkg/job.yaml', 'a-b/c_d.yaml', 'jobs/Train.yaml', 'jobs/missing.yaml']
  for (const path of paths) {
    const plain = await discoverManifests(workspace, [path])
    const globbed = await discoverManifests(workspace, [asGlob(path)])
    const withoutPattern = (warnings: string[]) => warnings.map((w) => w.replace(/"[^"]*"/, '"…"'))
    expect({ path, files: plain.files, errors: plain.errors, warnings: withoutPattern(plain.warnings) }).toEqual({
      path,
      files: globbed.files,
      errors: globbed.errors,
      warnings: withoutPattern(globbed.warnings)
    })
  }
})

test('isGlob: plain paths are not globs, wildcards are', async () => {
  expect(await Promise.all(['jobs/train.yaml', 'a-b/c_d.yaml', 'jobs/*.yaml', 'jobs/[t]rain.yaml', '**/*.yml', 'a{b,c}.yaml'].map(isGlob))).toEqual([false, false, true, true, true, true])
})
