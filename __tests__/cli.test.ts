// The command line, run in-process: what it prints on stdout and stderr and the exit status it
// returns (0 clean, 1 findings at or above --fail-on, 2 bad usage or paths that cannot be linted).
import { afterAll, afterEach, beforeAll, describe, expect, jest, test } from '@jest/globals'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { main } from '../src/cli.js'
import { VERSION } from '../src/version.js'

const REPO = join(import.meta.dirname, '..')

/** Runs the command line in `cwd` and returns its exit status and output. */
async function cli(args: string[], cwd = REPO): Promise<{ status: number; stdout: string; stderr: string }> {
  let stdout = ''
  let stderr = ''
  const out = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((stdout += String(chunk)), true))
  const err = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => ((stderr += String(chunk)), true))
  const before = process.cwd()
  process.chdir(cwd)
  try {
    const status = await main(args)
    return { status, stdout, stderr }
  } finally {
    process.chdir(before)
    out.mockRestore()
    err.mockRestore()
  }
}

let scratch: string

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'rayjob-cli-'))
  await mkdir(join(scratch, 'docs'))
  await writeFile(join(scratch, 'docs', 'README.md'), '# no YAML here\n')
  await writeFile(
    join(scratch, 'old.yaml'),
    'apiVersion: ray.io/v1alpha1\nkind: RayJob\nmetadata:\n  name: old\nspec:\n  entrypoint: python x.py\n  clusterSelector:\n    ray.io/cluster: shared\n'
  )
})

afterAll(async () => {
  await rm(scratch, { recursive: true, force: true })
})

afterEach(() => {
  jest.restoreAllMocks()
})

describe('linting', () => {
  test('valid manifests: exit 0, nothing on stdout, the counts on stderr', async () => {
    const { status, stdout, stderr } = await cli(['lint', 'examples/valid'])
    expect(status).toBe(0)
    expect(stdout).toBe('')
    expect(stderr).toBe('6 KubeRay manifest(s) (5 RayJob, 1 RayCluster) checked: 0 error(s), 0 warning(s), 0 note(s)\n')
  })

  test('broken manifests: exit 1, one "file:line:col severity id message" line per finding', async () => {
    const { status, stdout } = await cli(['lint', 'examples/broken/name-too-long.yaml', 'examples/broken/backoff-limit-typo.yaml'])
    expect(status).toBe(1)
    expect(stdout.split('\n')).toEqual([
      'examples/broken/backoff-limit-typo.yaml:10:3 error schema-unknown-field unknown field "spec.backofLimit" (did you mean "backoffLimit"?)',
      'examples/broken/name-too-long.yaml:7:9 error name-too-long The RayJob metadata is invalid: RayJob name should be no more than 47 characters [reported by KubeRay]',
      ''
    ])
  })

  test('--format json: the counts and every finding', async () => {
    const { status, stdout } = await cli(['lint', 'examples/broken/name-too-long.yaml', '--format', 'json'])
    expect(status).toBe(1)
    const parsed = JSON.parse(stdout)
    expect(parsed).toMatchObject({ manifests: 1, errors: 1, results: [{ ruleId: 'name-too-long', file: 'examples/broken/name-too-long.yaml', line: 7, column: 9 }] })
  })

  test('--format sarif: a SARIF 2.1.0 log; a clean run has an empty results array', async () => {
    const broken = JSON.parse((await cli(['lint', 'examples/broken/name-too-long.yaml', '--format', 'sarif'])).stdout)
    expect(broken.version).toBe('2.1.0')
    expect(broken.runs[0].results[0].locations[0].physicalLocation).toEqual({
      artifactLocation: { uri: 'examples/broken/name-too-long.yaml', uriBaseId: '%SRCROOT%' },
      region: { startLine: 7, startColumn: 9 }
    })
    const clean = JSON.parse((await cli(['lint', 'examples/valid', '--format', 'sarif'])).stdout)
    expect(clean.runs[0].results).toEqual([])
  })

  test('--fail-on: never passes with errors, warning fails on a warning', async () => {
    expect((await cli(['lint', 'examples/broken', '--fail-on', 'never'])).status).toBe(0)
    expect((await cli(['lint', 'old.yaml'], scratch)).status).toBe(0)
    expect((await cli(['lint', 'old.yaml', '--fail-on', 'warning'], scratch)).status).toBe(1)
  })

  test('--kuberay-version picks the rules of that release; "1.3" is its newest patch', async () => {
    const { stdout } = await cli(['lint', 'examples/broken/name-too-long.yaml', '--kuberay-version', '1.3'])
    expect(stdout.split('\n')).toEqual([
      'examples/broken/name-too-long.yaml:7:9 warning name-derived-too-long the RayJob name is 48 characters: names of the RayCluster and Services KubeRay derives from it may exceed Kubernetes limits (KubeRay 1.4.0 and later reject it)',
      'examples/broken/name-too-long.yaml:12:5 error schema-required spec.rayClusterSpec.headGroupSpec.rayStartParams: Required value',
      ''
    ])
  })

  test('--feature-gates changes what is checked', async () => {
    const { stdout } = await cli(['lint', 'examples/broken/deletion-rules-with-shutdown.yaml', '--feature-gates', 'RayJobDeletionPolicy=false'])
    expect(stdout).toContain('error deletion-strategy-gate-disabled RayJobDeletionPolicy feature gate must be enabled to use DeletionStrategy')
  })

  test('no path: every YAML file below the current directory', async () => {
    const { status, stderr } = await cli(['lint'], scratch)
    expect(status).toBe(0)
    expect(stderr).toBe('1 RayJob manifest(s) checked: 0 error(s), 1 warning(s), 0 note(s)\n')
  })

  test('a directory without YAML files: one warning, exit 0', async () => {
    const { status, stderr } = await cli(['lint', 'docs'], scratch)
    expect(status).toBe(0)
    expect(stderr.split('\n')[0]).toBe('warning: the directory "docs" holds no *.yaml or *.yml file')
    expect(stderr.match(/^warning:/gm)).toHaveLength(1)
  })
})

describe('control characters in file names (issue 9, defect 8)', () => {
  test('are shown escaped on stdout and stderr: one finding a line, one warning a line', async () => {
    const dir = join(scratch, 'ctl')
    await mkdir(join(dir, 'empty\r::error::d'), { recursive: true })
    const broken = 'apiVersion: ray.io/v1\nkind: RayJob\nmetadata:\n  name: a\nspec:\n  entrypoint: python x.py\n  backofLimit: 1\n  clusterSelector:\n    ray.io/cluster: shared\n'
    await writeFile(join(dir, 'a\r::error::x.yaml'), broken)
    await writeFile(join(dir, 'b\n::warning::y.yaml'), broken)
    const { status, stdout, stderr } = await cli(['lint', '.', 'empty\r::error::d'], dir)
    expect(status).toBe(1)
    expect(stdout.split(/\r\n|\r|\n/)).toEqual([
      'a\\r::error::x.yaml:7:3 error schema-unknown-field unknown field "spec.backofLimit" (did you mean "backoffLimit"?)',
      'b\\n::warning::y.yaml:7:3 error schema-unknown-field unknown field "spec.backofLimit" (did you mean "backoffLimit"?)',
      ''
    ])
    expect(stderr.split(/\r\n|\r|\n/)).toEqual([
      'warning: the directory "empty\\r::error::d" holds no *.yaml or *.yml file',
      '2 RayJob manifest(s) checked: 2 error(s), 0 warning(s), 0 note(s)',
      ''
    ])
  })

  test('a path that does not exist is named escaped too', async () => {
    const { status, stderr } = await cli(['lint', 'nope\n::error::x.yaml'], scratch)
    expect(status).toBe(2)
    expect(stderr).toBe(`error: "nope\\n::error::x.yaml" does not exist (paths are relative to ${scratch})\n`)
  })
})

describe('exit status 2', () => {
  test.each([
    [['lint', '--format', 'xml'], 'error: --format must be text, json or sarif, not "xml"'],
    [['lint', '--fail-on', 'always'], 'error: --fail-on must be error, warning or never, not "always"'],
    [['lint', '--kuberay-version', '9.9.9'], 'error: --kuberay-version "9.9.9" is not a KubeRay release from 1.1.0 to 1.7.0'],
    [['lint', '--feature-gates', 'Nope=true'], 'error: KubeRay 1.7.0 has no feature gate "Nope"'],
    [['check'], 'error: unknown command "check"'],
    [[], 'error: missing command'],
    [['lint', '--bogus'], "Unknown option '--bogus'"]
  ])('%j: %s, and the usage', async (args, message) => {
    const { status, stdout, stderr } = await cli(args)
    expect(status).toBe(2)
    expect(stdout).toBe('')
    expect(stderr).toContain(message)
    expect(stderr).toContain('Usage: rayjob-action lint [paths...] [options]')
  })

  test('a path that does not exist', async () => {
    const { status, stderr } = await cli(['lint', 'examples/brokn'])
    expect(status).toBe(2)
    expect(stderr).toBe(`error: "examples/brokn" does not exist (paths are relative to ${REPO})\n`)
  })

  test('a path outside the current directory', async () => {
    const { status, stderr } = await cli(['lint', '..'], join(scratch, 'docs'))
    expect(status).toBe(2)
    expect(stderr).toContain('error: ".." reaches outside the workspace')
  })
})

describe('help and version', () => {
  test('-h prints the usage with the exit statuses, exit 0', async () => {
    const { status, stdout } = await cli(['-h'])
    expect(status).toBe(0)
    expect(stdout).toContain('--format text|json|sarif')
    expect(stdout).toContain('Exit status: 0 nothing at or above --fail-on, 1 findings at or above it,')
  })

  test('-v prints the version', async () => {
    expect(await cli(['-v'])).toEqual({ status: 0, stdout: `${VERSION}\n`, stderr: '' })
  })
})
