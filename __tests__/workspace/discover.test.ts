// Globs → files, on real directories: what is found, what is skipped, and what is refused
// because it leaves the workspace.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DEFAULT_MANIFEST_GLOBS, discoverManifests, splitGlobs } from '../../src/workspace/discover.js'

let base: string
let workspace: string

/** Creates the files (path → content) below a directory. */
async function files(root: string, paths: Record<string, string>): Promise<void> {
  for (const [path, content] of Object.entries(paths)) {
    await mkdir(join(root, path, '..'), { recursive: true })
    await writeFile(join(root, path), content)
  }
}

beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'rayjob-discover-'))
  workspace = join(base, 'repo')
  await files(workspace, {
    'jobs/train.yaml': 'kind: RayJob\n',
    'jobs/nested/serve.yml': 'kind: RayJob\n',
    'jobs/README.md': '# not YAML\n',
    'deploy/cluster.yaml': 'kind: RayCluster\n',
    'node_modules/pkg/job.yaml': 'kind: RayJob\n',
    '.git/hooks/x.yaml': 'kind: RayJob\n',
    '.github/workflows/ci.yaml': 'on: push\n',
    'only-markdown/notes.md': 'hello\n'
  })
  await mkdir(join(workspace, 'empty'))
  await files(base, { 'outside/secret.yaml': 'kind: Secret\n' })
  await symlink(join(base, 'outside', 'secret.yaml'), join(workspace, 'jobs', 'linked-out.yaml'))
  await symlink(join(workspace, 'jobs', 'train.yaml'), join(workspace, 'deploy', 'linked-in.yaml'))
  await symlink(join(workspace, 'nowhere.yaml'), join(workspace, 'deploy', 'dangling.yaml'))
  await symlink(join(workspace, 'jobs'), join(workspace, 'jobs', 'nested', 'loop'))
})

afterAll(async () => {
  await rm(base, { recursive: true, force: true })
})

describe('finding files', () => {
  test('by default every *.yaml and *.yml, dot directories too, skipping node_modules and .git; links to outside skipped', async () => {
    const found = await discoverManifests(workspace, [])
    // deploy/linked-in.yaml and jobs/nested/loop/train.yaml are jobs/train.yaml again: read once, under its own name.
    expect(found.files).toEqual(['.github/workflows/ci.yaml', 'deploy/cluster.yaml', 'jobs/nested/serve.yml', 'jobs/train.yaml'])
    expect(found.errors).toEqual([])
    // A link the search happens to find is skipped with a warning; one named by its path is refused (below).
    expect(found.warnings).toEqual([`"jobs/linked-out.yaml" is a link to ${join(base, 'outside', 'secret.yaml')}, outside the workspace; it was not read; it was skipped`])
  })

  test('a link to outside named by its path is refused with an error', async () => {
    const found = await discoverManifests(workspace, ['jobs/linked-out.yaml'])
    expect(found.files).toEqual([])
    expect(found.errors).toEqual([`"jobs/linked-out.yaml" is a link to ${join(base, 'outside', 'secret.yaml')}, outside the workspace; it was not read`])
  })

  test('braces: one glob, commas and all', async () => {
    expect(splitGlobs('{jobs,deploy}/*.yaml, !jobs/linked-out.yaml')).toEqual(['{jobs,deploy}/*.yaml', '!jobs/linked-out.yaml'])
    expect((await discoverManifests(workspace, splitGlobs('{jobs,deploy}/*.yaml, !jobs/linked-out.yaml'))).files).toEqual(['deploy/cluster.yaml', 'jobs/train.yaml'])
  })

  test('a glob, and an exclude with "!"', async () => {
    const found = await discoverManifests(workspace, ['jobs/**/*.{yaml,yml}', '!jobs/linked-out.yaml', '!jobs/nested'])
    expect(found).toEqual({ files: ['jobs/train.yaml'], errors: [], warnings: [] })
  })

  test('a dot directory named in the glob is searched', async () => {
    expect((await discoverManifests(workspace, ['.github/workflows/*.yaml'])).files).toEqual(['.github/workflows/ci.yaml'])
  })

  test('a directory means the YAML files below it', async () => {
    const found = await discoverManifests(workspace, ['deploy/', 'jobs/nested'])
    expect(found.files).toEqual(['deploy/cluster.yaml', 'deploy/linked-in.yaml', 'jobs/nested/serve.yml'])
    expect(found.warnings).toEqual([`"jobs/nested/loop/linked-out.yaml" is a link to ${join(base, 'outside', 'secret.yaml')}, outside the workspace; it was not read; it was skipped`])
  })

  test('a link loop (jobs/nested/loop → jobs) ends: every file once, every refusal once', async () => {
    const found = await discoverManifests(workspace, ['jobs'])
    expect(found.files).toEqual(['jobs/nested/serve.yml', 'jobs/train.yaml'])
    expect(found.warnings).toHaveLength(1)
  })

  test('a directory with no YAML file: one warning for the directory, not one per extension', async () => {
    const found = await discoverManifests(workspace, ['only-markdown', 'empty'])
    expect(found.warnings).toEqual(['the directory "only-markdown" holds no *.yaml or *.yml file', 'the directory "empty" holds no *.yaml or *.yml file'])
  })

  test('the default search, given or not, warns about no glob (there is no *.yml here)', async () => {
    expect((await discoverManifests(join(workspace, 'deploy'), DEFAULT_MANIFEST_GLOBS)).warnings.filter((w) => w.includes('matched no file'))).toEqual([])
  })

  test('a glob that matches nothing is a warning, not an error', async () => {
    expect(await discoverManifests(workspace, ['k8s/*.yaml'])).toEqual({ files: [], errors: [], warnings: ['the glob "k8s/*.yaml" matched no file'] })
  })

  test('the same file through two globs is listed once', async () => {
    expect((await discoverManifests(workspace, ['jobs/train.yaml', 'jobs/*.yaml', '!jobs/linked-out.yaml'])).files).toEqual(['jobs/train.yaml'])
  })
})

describe('leaving the workspace', () => {
  test.each([['../outside/*.yaml'], ['jobs/../../outside/secret.yaml'], ['<base>/outside/*.yaml'], ['{../outside,jobs}/*.yaml'], ['jobs/*/../../../outside/*.yaml']])('"%s" is refused with an error', async (pattern) => {
    const glob = pattern.replace('<base>', base)
    const found = await discoverManifests(workspace, [glob])
    expect(found.files).toEqual([])
    expect(found.errors).toEqual([`"${glob}" reaches outside the workspace (${workspace}); manifests must be inside it`])
  })

  test('an absolute path inside the workspace is fine', async () => {
    expect((await discoverManifests(workspace, [join(workspace, 'jobs', 'train.yaml')])).files).toEqual(['jobs/train.yaml'])
  })
})

test('splitGlobs: newlines or commas, comments and blanks dropped', () => {
  expect(splitGlobs('jobs/**/*.yaml\n  # a comment\n!jobs/old, deploy/*.yml\n\n')).toEqual(['jobs/**/*.yaml', '!jobs/old', 'deploy/*.yml'])
})
