// The lint command: discover files, lint them, and report through the runner (annotations, job
// summary, outputs, SARIF). Shared by the action and the command line.
import { readFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import { ANNOTATIONS_PER_LEVEL, buildAnnotations, firstOfEachLevel } from '../report/annotations.js'
import { buildSarif } from '../report/sarif.js'
import { resolveSarifTarget, writeSarifFile } from '../report/sarif-file.js'
import { buildLintSummary } from '../report/summary.js'
import { formatCounts } from '../report/text.js'
import type { Runner } from '../runner/types.js'
import type { LintSettings } from '../settings.js'
import { discoverManifests } from '../workspace/discover.js'
import { countFindings, noKinds, sortFindings } from '../lint/findings.js'
import type { Finding, LintCounts } from '../lint/findings.js'
import { lintFile } from '../lint/lint.js'
import { ALL_RULES, ruleInfo } from '../lint/rules/registry.js'
import type { OtherKindDocument, RayJobDocument } from '../lint/lint.js'
import { RAY_KINDS } from '../manifest/model.js'

export interface LintOutcome {
  files: string[]
  findings: Finding[]
  counts: LintCounts
  /** Problems with the inputs themselves (globs outside the workspace, ...). */
  inputErrors: string[]
  /** With keepRayJobs: every RayJob document read, in file order (submit takes its one from here). */
  rayJobs?: RayJobDocument[]
  /** With keepRayJobs: the KubeRay objects of other kinds (submit names them when it finds no RayJob). */
  others?: OtherKindDocument[]
  /** Whether the step should fail under `fail-on`. */
  failed: boolean
  sarifPath?: string
}

export async function lintWorkspace(settings: LintSettings, keepRayJobs = false): Promise<Omit<LintOutcome, 'failed' | 'sarifPath'> & { warnings: string[] }> {
  const discovery = await discoverManifests(settings.workspace, settings.manifests)
  const findings: Finding[] = []
  const rayJobs: RayJobDocument[] = []
  const others: OtherKindDocument[] = []
  const kinds = noKinds()
  for (const file of discovery.files) {
    let bytes: Uint8Array
    try {
      bytes = await readFile(resolve(settings.workspace, file))
    } catch (error) {
      discovery.errors.push(`could not read ${file}: ${(error as Error).message}`)
      continue
    }
    const result = await lintFile(file, bytes, { kuberayVersion: settings.kuberayVersion, featureGates: settings.featureGates, keepRayJobs })
    for (const kind of RAY_KINDS) kinds[kind] += result.kinds[kind]
    for (const document of result.documents ?? []) rayJobs.push(document)
    for (const document of result.others ?? []) others.push(document)
    // One at a time: push(...result.findings) passes every finding as an argument, and past about
    // 125,000 of them that overflows the stack (issue 9, defect 5).
    for (const finding of result.findings) findings.push(finding)
  }
  const sorted = sortFindings(findings)
  return {
    files: discovery.files,
    findings: sorted,
    counts: countFindings(sorted, kinds),
    inputErrors: discovery.errors,
    warnings: discovery.warnings,
    ...(keepRayJobs ? { rayJobs, others } : {})
  }
}

/**
 * Writes the findings to GitHub (report: check-run or review; src/commands/github.ts makes one, and
 * loads the GitHub client only then) in place of the step's annotations. It never throws for
 * GitHub's sake: a failed call falls back to annotations, said once.
 */
export interface FindingsPublisher {
  /** `files`: every file the lint read (a review marks fixed only comments on these). */
  publish(findings: readonly Finding[], fails: (judged: readonly Finding[]) => boolean, files: readonly string[]): Promise<PublishedFindings>
}

export interface PublishedFindings {
  /** The findings still to annotate with workflow commands. */
  annotate: Finding[]
  /** The findings that judge the step (a pull request's, under `filter`); undefined: all of them. */
  judged?: Finding[]
  /** Which findings judge, in words, for the failure message. */
  scope?: string
  outputs: Record<string, string>
}

export function shouldFail(counts: LintCounts, failOn: LintSettings['failOn']): boolean {
  if (failOn === 'never') return false
  return counts.errors > 0 || (failOn === 'warning' && counts.warnings > 0)
}

export interface RunLintOptions {
  toolVersion: string
  /** The one other directory besides the workspace that `sarif-file` may name. */
  runnerTemp?: string
  /** Keep every RayJob document read (submit takes its one from here). */
  keepRayJobs?: boolean
  publisher?: FindingsPublisher
  /**
   * The input that replaces this finding's field for this run (submit's overrides), if one does: such
   * a finding judges a value that will not be created, so it is said in the log and not judged.
   */
  supersededBy?: (finding: Finding) => string | undefined
}

/** Runs the lint as an action step: annotations, summary, SARIF, outputs, and the pass/fail verdict. */
export async function runLint(settings: LintSettings, runner: Runner, options: RunLintOptions): Promise<LintOutcome> {
  const { toolVersion, runnerTemp = process.env.RUNNER_TEMP, keepRayJobs = false, publisher } = options
  const result = await lintWorkspace(settings, keepRayJobs)
  result.warnings.forEach((w) => runner.warning(w))
  if (options.supersededBy) dropSuperseded(result, options.supersededBy, runner)
  const fails = (judged: readonly Finding[]) => shouldFail(countFindings([...judged], result.counts.kinds ?? result.counts.manifests), settings.failOn)
  const published = publisher ? await publish(publisher, result.findings, fails, result.files, runner) : undefined
  // Only as many as GitHub shows: 51,780 RayJobs once printed 19.8 MB of annotations (issue 9, defect 11).
  const annotations = firstOfEachLevel(buildAnnotations(published?.annotate ?? result.findings, ruleInfo))
  for (const annotation of annotations.shown) runner.annotate(annotation)
  if (annotations.left) {
    const rest = settings.sarifFile ? `the job summary and the SARIF log (${settings.sarifFile})` : 'the job summary, or set sarif-file for a SARIF log of every finding'
    runner.info(`${annotations.left} more finding(s) are not annotated (GitHub shows ${ANNOTATIONS_PER_LEVEL} annotations of each kind per step): see ${rest}.`)
  }

  let sarifPath: string | undefined
  let sarifError: string | undefined
  if (settings.sarifFile) {
    const target = resolveSarifTarget(settings.sarifFile, { workspace: settings.workspace, runnerTemp })
    try {
      if ('error' in target) throw new Error(target.error)
      await writeSarifFile(settings.sarifFile, target.root, target.path, `${JSON.stringify(buildSarif(result.findings, ALL_RULES, toolVersion), null, 2)}\n`)
      sarifPath = target.path
      runner.info(`SARIF log with ${result.findings.length} result(s) written to ${sarifPath}`)
    } catch (error) {
      const message = (error as Error).message
      sarifError = message.startsWith('sarif-file: ') ? message : `sarif-file: could not write "${settings.sarifFile}": ${message}`
    }
  }

  runner.info(formatCounts(result.counts))
  if (result.counts.manifests === 0) {
    runner.warning(`No KubeRay manifest (RayJob, RayCluster, RayService or RayCronJob) found in ${result.files.length} file(s) matching ${settings.manifests.join(', ')}`)
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
  for (const [name, value] of Object.entries(published?.outputs ?? {})) runner.setOutput(name, value)

  // On a pull request with report: check-run or review, the findings `filter` selects judge the step.
  const judged = published?.judged ? countFindings(published.judged, result.counts.kinds ?? result.counts.manifests) : result.counts
  const lintFailed = shouldFail(judged, settings.failOn) || result.inputErrors.length > 0
  const failed = lintFailed || sarifError !== undefined
  if (sarifError) runner.fail(sarifError)
  if (result.inputErrors.length) runner.fail(result.inputErrors.join('\n'))
  else if (lintFailed) {
    const what = settings.failOn === 'warning' ? `${judged.errors} error(s) and ${judged.warnings} warning(s)` : `${judged.errors} error(s)`
    const scope = published?.judged && published.scope ? ` ${published.scope}` : ''
    runner.fail(`RayJob lint found ${what}${scope} (fail-on: ${settings.failOn}); see the annotations and the job summary`)
  }
  return { ...result, failed, sarifPath }
}

/** The publisher's result; should it throw all the same (a bug), the step goes on as without it. */
async function publish(publisher: FindingsPublisher, findings: Finding[], fails: (judged: readonly Finding[]) => boolean, files: string[], runner: Runner): Promise<PublishedFindings | undefined> {
  try {
    return await publisher.publish(findings, fails, files)
  } catch (error) {
    runner.warning(`The GitHub report failed: ${(error as Error).message}; the findings are annotations of the step instead.`)
    return undefined
  }
}

/** Takes the findings an override input makes moot out of the result, saying each in the log. */
function dropSuperseded(result: { findings: Finding[]; counts: LintCounts }, supersededBy: (finding: Finding) => string | undefined, runner: Runner): void {
  const kept: Finding[] = []
  for (const finding of result.findings) {
    const input = supersededBy(finding)
    if (input === undefined) kept.push(finding)
    else runner.info(`${finding.file}:${finding.line}:${finding.column}: ${finding.ruleId} on ${finding.field} is not judged: the ${input} input replaces that field for this run (${finding.message})`)
  }
  if (kept.length === result.findings.length) return
  result.findings = kept
  result.counts = countFindings(kept, result.counts.kinds ?? result.counts.manifests)
}
