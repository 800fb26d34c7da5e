// Every input read and validated once, into one typed Settings object (as actions/checkout does).
// Pure: the caller passes a function that reads an input by name.
import { inputSpec } from './action/inputs.js'
import { parseDuration } from './gate/duration.js'
import { DEFAULT_MANIFEST_GLOBS, splitGlobs } from './workspace/discover.js'
import { DEFAULT_KUBERAY_VERSION, KUBERAY_RELEASES, parseFeatureGates, parseKubeRayVersion } from './lint/versions.js'
import type { FeatureGates, KubeRayVersion } from './lint/versions.js'

export type Command = 'lint' | 'submit'
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
  logs: boolean
  onTimeout: StopAction
  onCancel: StopAction
}

export interface Settings {
  command: Command
  lint: LintSettings
  submit: SubmitSettings
}

export class SettingsError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid input${problems.length > 1 ? 's' : ''}:\n- ${problems.join('\n- ')}`)
    this.name = 'SettingsError'
  }
}

export type InputReader = (name: string) => string

/** The inputs that hold credentials: read on their own, first, so they are masked before anything (even an input error) can print them. */
export function credentialInputs(input: InputReader): { dashboardToken?: string; kubeconfig?: string } {
  return { dashboardToken: input('dashboard-token').trim() || undefined, kubeconfig: input('kubeconfig').trim() || undefined }
}

/** Reads and validates all inputs; throws a SettingsError naming every bad one. */
export function readSettings(input: InputReader, env: NodeJS.ProcessEnv = process.env): Settings {
  const problems: string[] = []
  // Allowed values and defaults come from the input table, as action.yml does.
  const oneOf = <T extends string>(name: string): T => {
    const { allowed = [], default: fallback } = inputSpec(name)
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

  const command = oneOf<Command>('command')
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

  const dashboardUrl = optional('dashboard-url')
  if (dashboardUrl && !/^https?:\/\/[^\s/]+/.test(dashboardUrl)) {
    problems.push(`dashboard-url: ${JSON.stringify(dashboardUrl)} is not an http:// or https:// URL`)
  }
  const namespace = optional('namespace')
  if (namespace && !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(namespace)) {
    problems.push(`namespace: ${JSON.stringify(namespace)} is not a valid Kubernetes namespace name`)
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
      logs: bool('logs'),
      onTimeout: oneOf<StopAction>('on-timeout'),
      onCancel: oneOf<StopAction>('on-cancel')
    }
  }
  if (problems.length) throw new SettingsError(problems)
  return settings
}
