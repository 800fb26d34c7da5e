// The command line (npx rayjob-action lint ...): the same lint as the action, for local use and
// pre-commit hooks. Exit status: 0 clean, 1 findings at or above --fail-on, 2 bad usage.
import { stat } from 'node:fs/promises'
import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { lintWorkspace, shouldFail } from './lint/run.js'
import { ALL_RULES } from './lint/lint.js'
import { DEFAULT_MANIFEST_GLOBS } from './lint/discover.js'
import { DEFAULT_KUBERAY_VERSION, KUBERAY_RELEASES, parseFeatureGates, parseKubeRayVersion } from './lint/versions.js'
import { buildSarif } from './report/sarif.js'
import { formatCounts, formatJson, formatText } from './report/text.js'
import type { FailOn } from './settings.js'
import { VERSION } from './version.js'

const USAGE = `Usage: rayjob-action lint [paths...] [options]

Checks KubeRay RayJob manifests the way KubeRay judges them.
Paths are files, directories (searched for *.yaml and *.yml) or globs, relative to the
current directory; default: every *.yaml and *.yml below it.

Options:
  --format text|json|sarif   output on stdout (default: text, "file:line:col severity id message")
  --kuberay-version X.Y.Z    KubeRay release whose rules apply, ${KUBERAY_RELEASES[0]} to ${KUBERAY_RELEASES.at(-1)} (default: ${DEFAULT_KUBERAY_VERSION})
  --feature-gates A=true,... operator feature gates (default: the release's defaults)
  --fail-on error|warning|never  exit 1 on findings at this level (default: error)
  -h, --help                 this help
  -v, --version              the tool's version`

class UsageError extends Error {}

export async function main(argv: string[]): Promise<number> {
  let parsed
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        format: { type: 'string', default: 'text' },
        'kuberay-version': { type: 'string', default: DEFAULT_KUBERAY_VERSION },
        'feature-gates': { type: 'string', default: '' },
        'fail-on': { type: 'string', default: 'error' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'v' }
      }
    })
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n\n${USAGE}\n`)
    return 2
  }
  const { values, positionals } = parsed
  if (values.help) {
    process.stdout.write(`${USAGE}\n`)
    return 0
  }
  if (values.version) {
    process.stdout.write(`${VERSION}\n`)
    return 0
  }
  try {
    const [command, ...paths] = positionals
    if (command !== 'lint') throw new UsageError(command ? `unknown command "${command}"` : 'missing command')
    const format = values.format
    if (!['text', 'json', 'sarif'].includes(format)) throw new UsageError(`--format must be text, json or sarif, not "${format}"`)
    const failOn = values['fail-on'] as FailOn
    if (!['error', 'warning', 'never'].includes(failOn)) throw new UsageError(`--fail-on must be error, warning or never, not "${failOn}"`)
    const kuberayVersion = parseKubeRayVersion(values['kuberay-version'])
    if (!kuberayVersion) throw new UsageError(`--kuberay-version "${values['kuberay-version']}" is not a KubeRay release from ${KUBERAY_RELEASES[0]} to ${KUBERAY_RELEASES.at(-1)}`)
    const gates = parseFeatureGates(values['feature-gates'], kuberayVersion)
    if (gates.errors.length) throw new UsageError(gates.errors.join('\n'))

    const workspace = process.cwd()
    const result = await lintWorkspace({
      workspace,
      manifests: paths.length ? await pathsToGlobs(workspace, paths) : DEFAULT_MANIFEST_GLOBS,
      manifestsDefaulted: paths.length === 0,
      kuberayVersion,
      featureGates: gates.gates,
      failOn
    })
    result.warnings.forEach((w) => process.stderr.write(`warning: ${w}\n`))
    result.inputErrors.forEach((e) => process.stderr.write(`error: ${e}\n`))
    const out =
      format === 'sarif'
        ? JSON.stringify(buildSarif(result.findings, ALL_RULES, VERSION), null, 2)
        : format === 'json'
          ? formatJson(result.findings, result.counts)
          : formatText(result.findings)
    if (out) process.stdout.write(`${out}\n`)
    process.stderr.write(`${formatCounts(result.counts)}\n`)
    return result.inputErrors.length || shouldFail(result.counts, failOn) ? 1 : 0
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`error: ${error.message}\n\n${USAGE}\n`)
      return 2
    }
    process.stderr.write(`error: ${(error as Error).message}\n`)
    return 2
  }
}

/** A directory means every YAML file below it; a file or glob is used as given. */
async function pathsToGlobs(workspace: string, paths: string[]): Promise<string[]> {
  const globs: string[] = []
  for (const path of paths) {
    const info = await stat(resolve(workspace, path)).catch(() => undefined)
    const clean = path.replace(/\/+$/, '')
    if (info?.isDirectory()) globs.push(`${clean}/**/*.yaml`, `${clean}/**/*.yml`)
    else globs.push(path)
  }
  return globs
}
