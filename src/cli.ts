// The command line (npx rayjob-action lint ...): the same lint as the action, for local use and
// pre-commit hooks. Exit status: 0 clean, 1 findings at or above --fail-on, 2 bad usage or paths
// that cannot be linted (missing, or outside the current directory).
import { stat } from 'node:fs/promises'
import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { lintWorkspace, shouldFail } from './commands/lint.js'
import { ALL_RULES } from './lint/rules/registry.js'
import { DEFAULT_MANIFEST_GLOBS, isGlob } from './workspace/discover.js'
import { DEFAULT_KUBERAY_VERSION, KUBERAY_RELEASES, parseFeatureGates, parseKubeRayVersion } from './lint/versions.js'
import { buildSarif } from './report/sarif.js'
import { escapeControl, formatCounts, formatJson, formatText } from './report/text.js'
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
  -v, --version              the tool's version

Exit status: 0 nothing at or above --fail-on, 1 findings at or above it,
2 bad usage or a path that cannot be linted.`

class UsageError extends Error {
  /** Whether the usage text helps (a bad option) or only the message does (a missing path). */
  readonly showUsage: boolean
  constructor(message: string, showUsage = true) {
    super(message)
    this.showUsage = showUsage
  }
}

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
    await requireExisting(workspace, paths)
    const result = await lintWorkspace({
      workspace,
      manifests: paths.length ? paths : DEFAULT_MANIFEST_GLOBS,
      manifestsDefaulted: paths.length === 0,
      kuberayVersion,
      featureGates: gates.gates,
      failOn
    })
    // They name files and globs: shown escaped, so that a name cannot start a line of its own.
    result.warnings.forEach((w) => process.stderr.write(`warning: ${escapeControl(w)}\n`))
    result.inputErrors.forEach((e) => process.stderr.write(`error: ${escapeControl(e)}\n`))
    const out =
      format === 'sarif'
        ? JSON.stringify(buildSarif(result.findings, ALL_RULES, VERSION), null, 2)
        : format === 'json'
          ? formatJson(result.findings, result.counts)
          : formatText(result.findings)
    if (out) process.stdout.write(`${out}\n`)
    process.stderr.write(`${formatCounts(result.counts)}\n`)
    if (result.inputErrors.length) return 2
    return shouldFail(result.counts, failOn) ? 1 : 0
  } catch (error) {
    if (error instanceof UsageError) {
      const message = error.message.split('\n').map(escapeControl).join('\n')
      process.stderr.write(error.showUsage ? `error: ${message}\n\n${USAGE}\n` : `error: ${message}\n`)
      return 2
    }
    process.stderr.write(`error: ${escapeControl((error as Error).message)}\n`)
    return 2
  }
}

/** A path without wildcards must exist: a typo must not pass as "nothing to lint". */
async function requireExisting(workspace: string, paths: string[]): Promise<void> {
  for (const path of paths) {
    if (path.startsWith('!') || (await isGlob(path))) continue
    const exists = await stat(resolve(workspace, path)).then(
      () => true,
      () => false
    )
    if (!exists) throw new UsageError(`"${escapeControl(path)}" does not exist (paths are relative to ${workspace})`, false)
  }
}
