// The lint command: discover files, lint them, and report through the runner (annotations, job
// summary, outputs, SARIF). Shared by the action and the command line.
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { dirname, isAbsolute, resolve } from 'node:path'
import { buildAnnotations } from '../report/annotations.js'
import { buildSarif } from '../report/sarif.js'
import { buildLintSummary } from '../report/summary.js'
import { formatCounts } from '../report/text.js'
import type { Runner } from '../runner/types.js'
import type { LintSettings } from '../settings.js'
import { discoverManifests } from './discover.js'
import { countFindings, sortFindings } from './findings.js'
import type { Finding, LintCounts } from './findings.js'
import { ALL_RULES, lintBytes, ruleInfo } from './lint.js'
import { withReferenceYaml } from './reference-yaml.js'

export interface LintOutcome {
  files: string[]
  findings: Finding[]
  counts: LintCounts
  /** Problems with the inputs themselves (globs outside the workspace, ...). */
  inputErrors: string[]
  /** Whether the step should fail under `fail-on`. */
  failed: boolean
  sarifPath?: string
}

export async function lintWorkspace(settings: LintSettings): Promise<Omit<LintOutcome, 'failed' | 'sarifPath'> & { warnings: string[] }> {
  const discovery = await discoverManifests(settings.workspace, settings.manifests)
  const findings: Finding[] = []
  let manifests = 0
  for (const file of discovery.files) {
    let bytes: Uint8Array
    try {
      bytes = await readFile(resolve(settings.workspace, file))
    } catch (error) {
      discovery.errors.push(`could not read ${file}: ${(error as Error).message}`)
      continue
    }
    const result = await withReferenceYaml(() => lintBytes(file, bytes, { kuberayVersion: settings.kuberayVersion, featureGates: settings.featureGates }))
    manifests += result.rayJobs
    findings.push(...result.findings)
  }
  const sorted = sortFindings(findings)
  return { files: discovery.files, findings: sorted, counts: countFindings(sorted, manifests), inputErrors: discovery.errors, warnings: discovery.warnings }
}

export function shouldFail(counts: LintCounts, failOn: LintSettings['failOn']): boolean {
  if (failOn === 'never') return false
  return counts.errors > 0 || (failOn === 'warning' && counts.warnings > 0)
}

/** Runs the lint as an action step: annotations, summary, SARIF, outputs, and the pass/fail verdict. */
export async function runLint(settings: LintSettings, runner: Runner, toolVersion: string): Promise<LintOutcome> {
  const result = await lintWorkspace(settings)
  result.warnings.forEach((w) => runner.warning(w))
  for (const annotation of buildAnnotations(result.findings, ruleInfo)) runner.annotate(annotation)

  let sarifPath: string | undefined
  if (settings.sarifFile) {
    sarifPath = isAbsolute(settings.sarifFile) ? settings.sarifFile : resolve(settings.workspace, settings.sarifFile)
    await mkdir(dirname(sarifPath), { recursive: true })
    await writeFile(sarifPath, `${JSON.stringify(buildSarif(result.findings, ALL_RULES, toolVersion), null, 2)}\n`)
    runner.info(`SARIF log with ${result.findings.length} result(s) written to ${sarifPath}`)
  }

  runner.info(formatCounts(result.counts))
  if (result.counts.manifests === 0) {
    runner.warning(`No RayJob manifest found in ${result.files.length} file(s) matching ${settings.manifests.join(', ')}`)
  }
  await runner.summary(
    buildLintSummary(result.findings, result.counts, {
      kuberayVersion: settings.kuberayVersion,
      featureGates: settings.featureGates,
      files: result.files.length,
      sarifFile: settings.sarifFile
    })
  )
  runner.setOutput('manifests', result.counts.manifests)
  runner.setOutput('findings', result.counts.findings)
  runner.setOutput('errors', result.counts.errors)
  runner.setOutput('warnings', result.counts.warnings)
  runner.setOutput('sarif-file', sarifPath ?? '')

  const failed = shouldFail(result.counts, settings.failOn) || result.inputErrors.length > 0
  if (result.inputErrors.length) runner.fail(result.inputErrors.join('\n'))
  else if (failed) {
    const what = settings.failOn === 'warning' ? `${result.counts.errors} error(s) and ${result.counts.warnings} warning(s)` : `${result.counts.errors} error(s)`
    runner.fail(`RayJob lint found ${what} (fail-on: ${settings.failOn}); see the annotations and the job summary`)
  }
  return { ...result, failed, sarifPath }
}
