// Every input read and validated once, into one typed Settings object (as actions/checkout does).
// Pure: the caller passes a function that reads an input by name.
import { isAbsolute, relative, resolve } from 'node:path'
import { inputSpec } from './action/inputs.js'
import { parseDuration } from './gate/duration.js'
import { DEFAULT_MANIFEST_GLOBS, splitGlobs } from './workspace/discover.js'
import { DEFAULT_KUBERAY_VERSION, KUBERAY_RELEASES, parseFeatureGates, parseKubeRayVersion } from './lint/versions.js'
import type { FeatureGates, KubeRayVersion } from './lint/versions.js'

export type Command = 'lint' | 'submit' | 'wait'
export type FailOn = 'error' | 'warning' | 'never'
export type StopAction = 'stop' | 'delete' | 'keep'

export interface LintSettings {
  /** Absolute path of the checked-out repository. */
  workspace: string
  /** Globs relative to the workspace; a leading "!" excludes. */
  manifests: string[]
  /** True when the user gave no globs (every *.yaml / *.yml is searched). */
  manifestsDefaulted: boolean
  kuberayVersion: KubeRayVersion
  featureGates: FeatureGates
  failOn: FailOn
  /** Where to write the SARIF log, relative to the workspace; undefined for none. */
  sarifFile?: string
}

export interface SubmitSettings {
  /** kubeconfig file content (plain or base64), when given as an input. */
  kubeconfig?: string
  context?: string
  /** Overrides the manifest's namespace. */
  namespace?: string
  /** Overrides the manifest's name. */
  name?: string
  /** "run" appends a suffix derived from the run id and attempt. */
  nameSuffix: 'none' | 'run'
  /** A Dashboard the runner can reach directly, instead of the API server's service proxy. */
  dashboardUrl?: string
  dashboardToken?: string
  wait: boolean
  timeoutSeconds: number
  /** startup-timeout: from creation until Ray runs the job; undefined: only timeoutSeconds bounds it. */
  startupTimeoutSeconds?: number
  /** queue-timeout: time spent suspended or queued; undefined: only timeoutSeconds bounds it. */
  queueTimeoutSeconds?: number
  /** End the wait on a Pod fault that will not heal. */
  failFast: boolean
  /** Set spec.activeDeadlineSeconds (timeout plus BACKSTOP_GRACE_SECONDS) when the manifest has none and submit waits. */
  backstop: boolean
  logs: boolean
  onTimeout: StopAction
  onCancel: StopAction
  /** The working-directory input: absolute path of a folder inside the workspace to package as the job's working_dir. */
  workingDirectory?: string
  /** Inputs that win over the manifest for this run. */
  overrides: Overrides
}

/** What the override inputs set; each field only when its input is given. */
export interface Overrides {
  image?: string
  /** The runtime-env input as given (YAML or JSON): the lint judges it as KubeRay reads runtimeEnvYAML. */
  runtimeEnv?: string
  entrypoint?: string
  entrypointNumCpus?: number
  entrypointNumGpus?: number
  entrypointResources?: Record<string, number>
  jobMetadata?: Record<string, string>
}

/** command: wait: which RayJob, besides the cluster settings it shares with submit. */
export interface WaitSettings {
  /** The RayJob to wait on; without it, the one `manifests` (with name and name-suffix) selects, named as submit names it. */
  rayjobName?: string
  /** The submission ID the RayJob must run. */
  submissionId?: string
}

/** Where the lint's findings (and submit's result) go besides the job summary; `report` and its options. */
export type ReportMode = 'annotations' | 'check-run' | 'review' | 'comment'
export const REPORT_MODES: readonly ReportMode[] = ['annotations', 'check-run', 'review', 'comment']
/** reviewdog's filter modes, for report: check-run and review on a pull request. */
export type DiffFilter = 'added' | 'diff-context' | 'file' | 'nofilter'

export interface ReportSettings {
  mode: ReportMode
  /** `report` was left empty: annotations, and for submit on a pull request the RayJob comment if the token may write it. */
  defaulted: boolean
  filter: DiffFilter
  /** For the GitHub API (masked by main.ts before anything is printed). */
  githubToken?: string
}

export interface Settings {
  command: Command
  lint: LintSettings
  /** The cluster side, which submit and wait share (on-timeout and on-cancel default to keep for wait). */
  submit: SubmitSettings
  wait: WaitSettings
  report: ReportSettings
}

export class SettingsError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid input${problems.length > 1 ? 's' : ''}:\n- ${problems.join('\n- ')}`)
    this.name = 'SettingsError'
  }
}

export type InputReader = (name: string) => string

/** The inputs that hold credentials: read on their own, first, so they are masked before anything (even an input error) can print them. */
export function credentialInputs(input: InputReader): { dashboardToken?: string; kubeconfig?: string; githubToken?: string } {
  return { dashboardToken: input('dashboard-token').trim() || undefined, kubeconfig: input('kubeconfig').trim() || undefined, githubToken: input('github-token').trim() || undefined }
}

/** Reads and validates all inputs; throws a SettingsError naming every bad one. */
export function readSettings(input: InputReader, env: NodeJS.ProcessEnv = process.env): Settings {
  const problems: string[] = []
  let command: Command = 'lint'
  // Allowed values and defaults come from the input table, as action.yml does (with the command's own default, where it has one).
  const oneOf = <T extends string>(name: string): T => {
    const spec = inputSpec(name)
    const { allowed = [] } = spec
    const fallback = spec.defaultFor?.[command] ?? spec.default
    const value = input(name).trim()
    if (value === '') return fallback as T
    if (allowed.includes(value)) return value as T
    problems.push(`${name}: ${JSON.stringify(value)} is not one of ${allowed.join(', ')}`)
    return fallback as T
  }
  const bool = (name: string): boolean => {
    const fallback = inputSpec(name).default === 'true'
    const value = input(name).trim()
    if (value === '') return fallback
    if (/^(true|false)$/i.test(value)) return value.toLowerCase() === 'true'
    problems.push(`${name}: ${JSON.stringify(value)} is not true or false`)
    return fallback
  }
  const optional = (name: string): string | undefined => input(name).trim() || undefined

  command = oneOf<Command>('command')
  const versionText = optional('kuberay-version') ?? inputSpec('kuberay-version').default
  const kuberayVersion = parseKubeRayVersion(versionText)
  if (!kuberayVersion) {
    problems.push(`kuberay-version: "${versionText}" is not a KubeRay release from ${KUBERAY_RELEASES[0]} to ${KUBERAY_RELEASES.at(-1)}`)
  }
  const version = kuberayVersion ?? DEFAULT_KUBERAY_VERSION
  const gates = parseFeatureGates(input('feature-gates'), version)
  problems.push(...gates.errors.map((e) => `feature-gates: ${e}`))

  const globs = splitGlobs(input('manifests'))
  const workspace = env.GITHUB_WORKSPACE || process.cwd()
  const sarifFile = optional('sarif-file')

  const timeoutText = optional('timeout') ?? inputSpec('timeout').default
  const timeout = parseDuration(timeoutText)
  if ('error' in timeout) problems.push(`timeout: ${timeout.error}`)

  /** A duration input that may be turned off with `none` (or left empty where its default is none). */
  const optionalDuration = (name: string): number | undefined => {
    const text = optional(name) ?? inputSpec(name).default
    if (!text || text.toLowerCase() === 'none') return undefined
    const parsed = parseDuration(text)
    if ('error' in parsed) {
      problems.push(`${name}: ${parsed.error}, or none`)
      return undefined
    }
    return parsed.seconds
  }

  const dashboardUrl = optional('dashboard-url')
  if (dashboardUrl && !/^https?:\/\/[^\s/]+/.test(dashboardUrl)) {
    problems.push(`dashboard-url: ${JSON.stringify(dashboardUrl)} is not an http:// or https:// URL`)
  }
  const namespace = optional('namespace')
  if (namespace && !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(namespace)) {
    problems.push(`namespace: ${JSON.stringify(namespace)} is not a valid Kubernetes namespace name`)
  }
  const rayjobName = optional('rayjob-name')
  if (rayjobName && !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(rayjobName)) {
    problems.push(`rayjob-name: ${JSON.stringify(rayjobName)} is not a valid Kubernetes object name`)
  }
  if (command === 'wait' && !rayjobName && globs.length === 0) {
    problems.push('rayjob-name: wait needs the RayJob to wait on: give rayjob-name (and namespace), or the manifests (with name and name-suffix) that the submit step used')
  }

  const settings: Settings = {
    command,
    lint: {
      workspace,
      manifests: globs.length ? globs : DEFAULT_MANIFEST_GLOBS,
      manifestsDefaulted: globs.length === 0,
      kuberayVersion: version,
      featureGates: gates.gates,
      failOn: oneOf<FailOn>('fail-on'),
      sarifFile
    },
    submit: {
      kubeconfig: optional('kubeconfig'),
      context: optional('context'),
      namespace,
      name: optional('name'),
      nameSuffix: oneOf('name-suffix'),
      dashboardUrl: dashboardUrl?.replace(/\/+$/, ''),
      dashboardToken: optional('dashboard-token'),
      wait: bool('wait'),
      timeoutSeconds: 'seconds' in timeout ? timeout.seconds : 0, // unused: a bad timeout is a problem thrown below
      startupTimeoutSeconds: optionalDuration('startup-timeout'),
      queueTimeoutSeconds: optionalDuration('queue-timeout'),
      failFast: bool('fail-fast'),
      backstop: bool('backstop'),
      logs: bool('logs'),
      onTimeout: oneOf<StopAction>('on-timeout'),
      onCancel: oneOf<StopAction>('on-cancel'),
      workingDirectory: readWorkingDirectory(optional('working-directory'), workspace, problems),
      overrides: readOverrides(optional, problems)
    },
    wait: { rayjobName, submissionId: optional('submission-id') },
    report: readReport(input, command, oneOf<DiffFilter>('filter'), problems)
  }
  if (problems.length) throw new SettingsError(problems)
  return settings
}

/** `report` (no choice list in the table: left empty, submit's default depends on the event), and the github-token it uses. */
function readReport(input: InputReader, command: Command, filter: DiffFilter, problems: string[]): ReportSettings {
  const text = input('report').trim()
  const mode = (text || 'annotations') as ReportMode
  if (!REPORT_MODES.includes(mode)) problems.push(`report: ${JSON.stringify(text)} is not one of ${REPORT_MODES.join(', ')}`)
  else if (mode === 'comment' && command === 'lint') {
    problems.push(`report: comment writes a RayJob's result on the pull request, for command: submit or wait; for the lint's findings use check-run or review`)
  } else if ((mode === 'check-run' || mode === 'review') && command === 'wait') {
    problems.push(`report: ${mode} carries the lint's findings, and wait lints nothing: use comment for the RayJob's result on the pull request`)
  }
  const githubToken = input('github-token').trim() || undefined
  if ((mode === 'check-run' || mode === 'review' || mode === 'comment') && !githubToken) {
    problems.push(`github-token: report: ${mode} writes to GitHub's API and needs a token (the default is \${{ github.token }}; an empty github-token input leaves none)`)
  }
  return { mode: REPORT_MODES.includes(mode) ? mode : 'annotations', defaulted: text === '', filter, githubToken }
}

/** working-directory: a folder inside the workspace (whether it exists is checked when the package is built). */
function readWorkingDirectory(text: string | undefined, workspace: string, problems: string[]): string | undefined {
  if (!text) return undefined
  const path = resolve(workspace, text)
  const inside = relative(workspace, path)
  if (inside.startsWith('..') || isAbsolute(inside)) {
    problems.push(`working-directory: ${JSON.stringify(text)} is outside the workspace (${workspace}); give a folder inside it`)
    return undefined
  }
  return path
}

/** The override inputs; a bad value is a problem naming its input (runtime-env is judged by the lint, as KubeRay reads it). */
function readOverrides(optional: (name: string) => string | undefined, problems: string[]): Overrides {
  const overrides: Overrides = {}
  const image = optional('image')
  if (image !== undefined) {
    if (/\s/.test(image)) problems.push(`image: ${JSON.stringify(image)} is not an image reference (it contains white space)`)
    else overrides.image = image
  }
  const runtimeEnv = optional('runtime-env')
  if (runtimeEnv !== undefined) overrides.runtimeEnv = runtimeEnv
  const entrypoint = optional('entrypoint')
  if (entrypoint !== undefined) overrides.entrypoint = entrypoint
  const count = (name: string): number | undefined => {
    const text = optional(name)
    if (text === undefined) return undefined
    const value = Number(text)
    if (!/^\d+(\.\d+)?$/.test(text) || !Number.isFinite(value)) {
      problems.push(`${name}: ${JSON.stringify(text)} is not a number of 0 or more (e.g. 1 or 0.5)`)
      return undefined
    }
    return value
  }
  overrides.entrypointNumCpus = count('entrypoint-num-cpus')
  overrides.entrypointNumGpus = count('entrypoint-num-gpus')
  const object = <T>(name: string, valueOk: (v: unknown) => boolean, what: string): Record<string, T> | undefined => {
    const text = optional(name)
    if (text === undefined) return undefined
    let parsed: unknown
    try {
      parsed = JSON.parse(text)
    } catch (error) {
      problems.push(`${name}: not JSON (${(error as Error).message}); give a JSON object of ${what}`)
      return undefined
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      problems.push(`${name}: ${JSON.stringify(text)} is not a JSON object; give a JSON object of ${what}`)
      return undefined
    }
    const bad = Object.entries(parsed).filter(([, v]) => !valueOk(v))
    if (bad.length) {
      problems.push(`${name}: ${bad.map(([k, v]) => `${JSON.stringify(k)}: ${JSON.stringify(v)}`).join(', ')} ${bad.length > 1 ? 'are' : 'is'} not allowed; give a JSON object of ${what}`)
      return undefined
    }
    return parsed as Record<string, T>
  }
  overrides.entrypointResources = object<number>('entrypoint-resources', (v) => typeof v === 'number' && v >= 0, 'resource names to numbers of 0 or more')
  overrides.jobMetadata = object<string>('job-metadata', (v) => typeof v === 'string', 'keys to string values')
  for (const key of Object.keys(overrides) as (keyof Overrides)[]) if (overrides[key] === undefined) delete overrides[key]
  return overrides
}
