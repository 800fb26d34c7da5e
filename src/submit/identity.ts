// Who a submission is: the RayJob's name, its Ray submission ID, and the labels that tie it to the
// workflow run. Pure: the run context and any randomness are passed in.
import { createHash } from 'node:crypto'
import { isDNS1035Label, isDNS1123Label } from '../lint/k8s/validation.js'
import { MAX_RAYJOB_NAME } from '../manifest/model.js'

/** The workflow run that submits, as far as it is known (a local run knows none of it). */
export interface RunContext {
  /** "owner/name" */
  repository?: string
  workflow?: string
  job?: string
  runId?: string
  runAttempt?: string
  /** The commit the run tested: a pull request's head, else GITHUB_SHA. */
  sha?: string
  ref?: string
  serverUrl?: string
}


/** The alphabet of `raysubmit_` IDs (Ray's and the kubectl plugin's: no I, l, o, O, 0). */
const SUBMIT_ALPHABET = 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ123456789'
const SUBMIT_ID_CHARS = 16

/** What Ray accepts in a submission ID without breaking its log paths ("/" does). */
export const SUBMISSION_ID_PATTERN = /^[A-Za-z0-9._-]+$/

export const LABEL_PREFIX = 'rayjob-action'

/** The run's suffix for `name-suffix: run`: the run id and attempt in base 36, e.g. "-k3x9a1-2". */
export function runSuffix(run: RunContext, fallbackSeed: string): string {
  const runPart = run.runId && /^\d+$/.test(run.runId) ? BigInt(run.runId).toString(36) : shortHash(fallbackSeed, 6)
  return `-${runPart}-${run.runAttempt || '1'}`
}

/**
 * The RayJob name: the override or the manifest's, with the run suffix when asked for, cut so the
 * whole stays within KubeRay's 47 characters and still ends with a letter or digit.
 */
export function deriveName(base: string, suffix: string): string {
  if (!suffix) return base
  const room = MAX_RAYJOB_NAME - suffix.length
  const head = base.slice(0, room).replace(/-+$/, '')
  return `${head}${suffix}`
}

/**
 * Why KubeRay would refuse this RayJob name (ValidateRayJobMetadata: at most 47 characters, a
 * DNS-1035 label), or undefined. The lint checks the manifest's name; this checks the name the
 * step will really use, after the name input and the run suffix.
 */
export function rayJobNameProblem(name: string): string | undefined {
  if (name.length > MAX_RAYJOB_NAME) return `the RayJob name "${name}" is ${name.length} characters long: KubeRay allows at most ${MAX_RAYJOB_NAME} (its RayCluster and Service names are derived from it)`
  const errors = isDNS1035Label(name)
  return errors.length ? `the RayJob name "${name}" is not a valid DNS-1035 label: ${errors.join('; ')}` : undefined
}

/** Why the API server would refuse this namespace (a DNS-1123 label), or undefined. Quoted as JSON: it may hold control characters. */
export function namespaceProblem(namespace: string): string | undefined {
  const errors = isDNS1123Label(namespace)
  return errors.length ? `the namespace ${JSON.stringify(namespace)} is not a valid Kubernetes namespace name: ${errors.join('; ')}` : undefined
}

/** Annotations that tie a RayJob to the one step execution that created it, and to the exact object it submitted. */
export const STEP_TOKEN_ANNOTATION = `${LABEL_PREFIX}/step-token`
export const SPEC_HASH_ANNOTATION = `${LABEL_PREFIX}/spec-sha256`
export const JOB_ANNOTATION = `${LABEL_PREFIX}/job`

/**
 * A hash of the object as the step prepared it (before the step's own token is added): two legs of a
 * matrix, or two jobs of one run, that submit different RayJobs under one name differ here.
 */
export function specHash(object: unknown): string {
  return createHash('sha256').update(canonicalJson(object)).digest('hex')
}

/** JSON with object keys sorted, so the same object always gives the same text. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined)
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`
  }
  return JSON.stringify(value) ?? 'null'
}

/**
 * The submission ID, fixed before the RayJob exists: the manifest's spec.jobId, else one derived from
 * the run, attempt and RayJob, so that a rerun of the same attempt finds its own job instead of
 * submitting a second one. Without a run (a local run), a random one.
 */
export function submissionIdFor(jobId: string | undefined, run: RunContext, namespace: string, name: string, random: () => Buffer): string {
  if (jobId) return jobId
  const seed = run.runId ? [run.repository, run.runId, run.runAttempt ?? '1', namespace, name].join('\u0000') : undefined
  const bytes = seed ? createHash('sha256').update(seed).digest() : random()
  let id = 'raysubmit_'
  for (let i = 0; i < SUBMIT_ID_CHARS; i++) id += SUBMIT_ALPHABET[bytes[i] % SUBMIT_ALPHABET.length]
  return id
}

/** Why a submission ID cannot be used, or undefined when it can. */
export function submissionIdProblem(id: string): string | undefined {
  if (SUBMISSION_ID_PATTERN.test(id)) return undefined
  return `spec.jobId "${id}" has characters Ray cannot use in a submission ID ("/" breaks its log paths); use only letters, digits, ".", "_" and "-"`
}

/**
 * A Kubernetes label value from any text: at most 63 characters of [A-Za-z0-9._-], starting and
 * ending with a letter or digit ("" stays "").
 */
export function labelValue(text: string): string {
  return text
    .replace(/[^A-Za-z0-9._-]+/g, '_')
    .slice(0, 63)
    .replace(/^[^A-Za-z0-9]+/, '')
    .replace(/[^A-Za-z0-9]+$/, '')
}

/** Labels that let anyone (and a rerun of this action) find the RayJob a run created. */
export function runLabels(run: RunContext): Record<string, string> {
  const labels: Record<string, string> = { 'app.kubernetes.io/managed-by': 'rayjob-action' }
  const add = (key: string, value: string | undefined) => {
    const clean = value ? labelValue(value) : ''
    if (clean) labels[`${LABEL_PREFIX}/${key}`] = clean
  }
  add('repository', run.repository)
  add('workflow', run.workflow)
  add('run-id', run.runId)
  add('run-attempt', run.runId ? (run.runAttempt ?? '1') : undefined)
  add('commit', run.sha)
  return labels
}

/** The same facts unabridged (label values are cut and sanitised), plus a link to the run. */
export function runAnnotations(run: RunContext): Record<string, string> {
  const annotations: Record<string, string> = {}
  const add = (key: string, value: string | undefined) => {
    if (value) annotations[`${LABEL_PREFIX}/${key}`] = value
  }
  add('repository', run.repository)
  add('workflow', run.workflow)
  add('job', run.job)
  add('ref', run.ref)
  add('commit', run.sha)
  if (run.serverUrl && run.repository && run.runId) {
    add('run-url', `${run.serverUrl}/${run.repository}/actions/runs/${run.runId}${run.runAttempt ? `/attempts/${run.runAttempt}` : ''}`)
  }
  return annotations
}

/** Whether an existing RayJob was created by this same run attempt (so it is ours to adopt). */
export function createdByThisAttempt(labels: Record<string, string> | undefined, run: RunContext): boolean {
  if (!labels || !run.runId) return false
  const ours = runLabels(run)
  return ['repository', 'run-id', 'run-attempt'].every((key) => labels[`${LABEL_PREFIX}/${key}`] === ours[`${LABEL_PREFIX}/${key}`])
}

function shortHash(seed: string, length: number): string {
  return BigInt(`0x${createHash('sha256').update(seed).digest('hex').slice(0, 12)}`)
    .toString(36)
    .slice(0, length)
}
