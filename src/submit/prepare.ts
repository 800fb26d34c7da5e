// The one RayJob a submit step creates: picked from the manifests, named, placed, labelled and given
// its submission ID before it reaches the cluster. Pure.
import { loadYaml, readYamlValue } from '../yaml/index.js'
import type { SubmitRequest } from '../dashboard/client.js'
import type { OtherKindDocument, RayJobDocument } from '../lint/lint.js'
import { isObj } from '../manifest/model.js'
import type { Obj } from '../manifest/model.js'
import {
  createdByThisAttempt,
  deriveName,
  JOB_ANNOTATION,
  namespaceProblem,
  rayJobNameProblem,
  runAnnotations,
  runLabels,
  runSuffix,
  SPEC_HASH_ANNOTATION,
  specHash,
  STEP_TOKEN_ANNOTATION,
  submissionIdFor,
  submissionIdProblem
} from './identity.js'
import type { RunContext } from './identity.js'
import { runtimeEnvOf, withWorkingDir } from './overrides.js'

// interactiveSubmission reads runtimeEnvYAML synchronously: `yaml` is loaded with this module (as
// its static import did), for the texts the fast reader leaves to it.
await loadYaml()

export class SubmitInputError extends Error {}

/** A RayJob document in a manifest, with where it is (as the lint read it). */
export type FoundRayJob = RayJobDocument

/** Exactly one RayJob, or an error that lists what the globs found. */
export function selectOne(found: FoundRayJob[], files: string[], globs: string[], others: readonly OtherKindDocument[] = []): FoundRayJob {
  if (found.length === 1) return found[0]
  const passedOver = others.length
    ? ` It passed over ${others.length} KubeRay object(s) of other kinds, which submit does not create: ${others
        .slice(0, 10)
        .map((o) => `${o.kind} ${o.name} (${o.file}:${o.line})`)
        .join(', ')}${others.length > 10 ? ', ...' : ''}.`
    : ''
  if (found.length === 0) {
    throw new SubmitInputError(
      `submit needs exactly one RayJob, but the manifests input (${globs.join(', ')}) matched ${files.length} file(s) with no RayJob document${files.length ? `: ${files.slice(0, 10).join(', ')}` : ''}.${passedOver} Point manifests at the RayJob's file.`
    )
  }
  const list = found.map((f) => `${f.file}:${f.line} (${String((f.value.metadata as Obj | undefined)?.name ?? 'unnamed')})`).join(', ')
  throw new SubmitInputError(`submit needs exactly one RayJob, but the manifests input matched ${found.length}: ${list}. Narrow manifests to one file or document.`)
}

export interface PrepareOptions {
  namespace?: string
  name?: string
  nameSuffix: 'none' | 'run'
  /** The kubeconfig context's namespace. */
  contextNamespace?: string
  run: RunContext
  random: () => Buffer
  /**
   * Unique to this execution of the step (random): written on the RayJob so that the post step, and
   * a create whose answer was lost, can tell the RayJob this step created from any other.
   */
  stepToken?: string
  /** The working directory's package URI (gcs://_ray_pkg_<hash>.zip): runtime_env.working_dir. */
  workingDirUri?: string
  /** Added to spec.metadata (Ray's job metadata) unless the manifest sets the same key: the run it came from. */
  runMetadata?: Record<string, string>
}

export interface PreparedRayJob {
  object: Obj
  namespace: string
  name: string
  submissionId: string
  submissionMode: string
  backoffLimit: number
  /** specHash of the object before the step token was added. */
  specHash?: string
  stepToken?: string
}

/** Fields of a stored object that a manifest copied from `kubectl get -o yaml` may carry and a create refuses or ignores. */
const SERVER_FIELDS = ['resourceVersion', 'uid', 'creationTimestamp', 'generation', 'managedFields', 'selfLink', 'deletionTimestamp', 'deletionGracePeriodSeconds']

export function prepareRayJob(manifest: Obj, options: PrepareOptions): PreparedRayJob {
  const object = structuredClone(manifest)
  const metadata: Obj = isObj(object.metadata) ? object.metadata : {}
  const spec: Obj = isObj(object.spec) ? object.spec : {}
  for (const field of SERVER_FIELDS) delete metadata[field]
  delete object.status

  const baseName = options.name ?? (typeof metadata.name === 'string' ? metadata.name : '')
  if (!baseName) {
    throw new SubmitInputError('the RayJob has no metadata.name: give it one, or set the name input (generateName is not supported: a rerun must find the RayJob it created)')
  }
  const name = deriveName(baseName, options.nameSuffix === 'run' ? runSuffix(options.run, baseName) : '')
  const nameProblem = rayJobNameProblem(name)
  if (nameProblem) throw new SubmitInputError(`${nameProblem}; it comes from ${options.name ? 'the name input' : 'metadata.name'}${options.nameSuffix === 'run' ? ' and name-suffix: run' : ''}`)
  const namespace = options.namespace ?? (typeof metadata.namespace === 'string' && metadata.namespace ? metadata.namespace : undefined) ?? options.contextNamespace ?? 'default'
  const badNamespace = namespaceProblem(namespace)
  if (badNamespace) throw new SubmitInputError(`${badNamespace}; it comes from ${options.namespace ? 'the namespace input' : typeof metadata.namespace === 'string' && metadata.namespace ? 'metadata.namespace' : "the kubeconfig context's namespace"}`)
  const jobId = typeof spec.jobId === 'string' && spec.jobId ? spec.jobId : undefined
  if (jobId) {
    const problem = submissionIdProblem(jobId)
    if (problem) throw new SubmitInputError(problem)
  }
  const submissionId = submissionIdFor(jobId, options.run, namespace, name, options.random)

  delete metadata.generateName
  metadata.name = name
  metadata.namespace = namespace
  metadata.labels = { ...(isObj(metadata.labels) ? metadata.labels : {}), ...runLabels(options.run) }
  metadata.annotations = { ...(isObj(metadata.annotations) ? metadata.annotations : {}), ...runAnnotations(options.run) }
  spec.jobId = submissionId
  if (options.runMetadata && Object.keys(options.runMetadata).length) spec.metadata = { ...options.runMetadata, ...(isObj(spec.metadata) ? spec.metadata : {}) }
  if (options.workingDirUri) {
    let runtimeEnv: Obj
    try {
      runtimeEnv = runtimeEnvOf(spec, 'spec.runtimeEnvYAML')
    } catch (error) {
      throw new SubmitInputError((error as Error).message)
    }
    withWorkingDir(spec, options.workingDirUri, runtimeEnv)
  }
  object.metadata = metadata
  object.spec = spec
  const hash = specHash(object)
  const annotations = metadata.annotations as Obj
  annotations[SPEC_HASH_ANNOTATION] = hash
  if (options.stepToken) annotations[STEP_TOKEN_ANNOTATION] = options.stepToken

  return {
    object,
    namespace,
    name,
    submissionId,
    submissionMode: typeof spec.submissionMode === 'string' && spec.submissionMode ? spec.submissionMode : 'K8sJobMode',
    backoffLimit: typeof spec.backoffLimit === 'number' ? spec.backoffLimit : 0,
    specHash: hash,
    stepToken: options.stepToken
  }
}

const annotationsOf = (object: Obj): Record<string, unknown> => (isObj(object.metadata) && isObj(object.metadata.annotations) ? object.metadata.annotations : {})

/** Whether this RayJob is the one this very step execution created (its step token is on it). */
export function createdByThisStep(existing: Obj, stepToken: string | undefined): boolean {
  return !!stepToken && annotationsOf(existing)[STEP_TOKEN_ANNOTATION] === stepToken
}

/**
 * How an existing RayJob under our name relates to this step:
 * - `ours`: this run attempt's same job created exactly this object before (a rerun of the step): follow it;
 * - `sibling`: this run attempt created it, but from another job or another spec (two matrix legs or
 *   jobs submitting one name): never follow it;
 * - `foreign`: anything else.
 */
export function relationTo(existing: Obj, prepared: PreparedRayJob, run: RunContext): 'ours' | 'sibling' | 'foreign' {
  const metadata = isObj(existing.metadata) ? existing.metadata : {}
  const labels = isObj(metadata.labels) ? (metadata.labels as Record<string, string>) : undefined
  if (!createdByThisAttempt(labels, run)) return 'foreign'
  if (createdByThisStep(existing, prepared.stepToken)) return 'ours'
  const annotations = annotationsOf(existing)
  const spec = isObj(existing.spec) ? existing.spec : {}
  const sameJob = (annotations[JOB_ANNOTATION] ?? '') === (run.job ?? '')
  const sameSpec = prepared.specHash !== undefined && annotations[SPEC_HASH_ANNOTATION] === prepared.specHash
  return sameJob && sameSpec && spec.jobId === prepared.submissionId ? 'ours' : 'sibling'
}

/** Whether a RayJob found under our name is the one this run attempt's same job created before, from the same spec (a rerun of the step). */
export function isOurEarlierRayJob(existing: Obj, prepared: PreparedRayJob, run: RunContext): boolean {
  return relationTo(existing, prepared, run) === 'ours'
}

/**
 * What to POST to /api/jobs/ for an InteractiveMode RayJob: what KubeRay's submitter would send in
 * the other modes (entrypoint, runtime_env from runtimeEnvYAML, metadata, entrypoint resources),
 * with the RayJob's spec.jobId as the submission ID.
 */
export function interactiveSubmission(prepared: PreparedRayJob): SubmitRequest {
  const spec = prepared.object.spec as Obj
  const entrypoint = typeof spec.entrypoint === 'string' ? spec.entrypoint.trim() : ''
  if (!entrypoint) {
    throw new SubmitInputError('an InteractiveMode RayJob submitted by the action needs spec.entrypoint: the action submits it to Ray once the cluster is ready')
  }
  const job: SubmitRequest = { entrypoint, submission_id: prepared.submissionId }
  if (typeof spec.runtimeEnvYAML === 'string' && spec.runtimeEnvYAML.trim()) {
    // Read as KubeRay reads it (sigs.k8s.io/yaml: YAML 1.1, so `on` is true and `0755` is 493), as the lint judged it.
    const read = readYamlValue(spec.runtimeEnvYAML)
    if ('error' in read) throw new SubmitInputError(`spec.runtimeEnvYAML is not valid YAML: ${read.error}`)
    const runtimeEnv = 'value' in read ? read.value : undefined
    if (!isObj(runtimeEnv)) throw new SubmitInputError('spec.runtimeEnvYAML is not a YAML mapping')
    job.runtime_env = runtimeEnv
  }
  if (isObj(spec.metadata) && Object.keys(spec.metadata).length) job.metadata = spec.metadata as Record<string, string>
  if (typeof spec.entrypointNumCpus === 'number' && spec.entrypointNumCpus > 0) job.entrypoint_num_cpus = spec.entrypointNumCpus
  if (typeof spec.entrypointNumGpus === 'number' && spec.entrypointNumGpus > 0) job.entrypoint_num_gpus = spec.entrypointNumGpus
  if (typeof spec.entrypointResources === 'string' && spec.entrypointResources.trim()) {
    try {
      job.entrypoint_resources = JSON.parse(spec.entrypointResources) as Record<string, number>
    } catch (error) {
      throw new SubmitInputError(`spec.entrypointResources is not JSON: ${(error as Error).message}`)
    }
  }
  return job
}

/** The manifest's own cluster's authOptions (KubeRay 1.5.1+), if it has its own cluster and they are set. */
export function manifestAuthOptions(prepared: PreparedRayJob): Obj | undefined {
  const spec = (prepared.object.spec ?? {}) as Obj
  const authOptions = (spec.rayClusterSpec as Obj | undefined)?.authOptions
  return isObj(authOptions) ? authOptions : undefined
}

/** Whether the manifest's own cluster uses Ray token authentication (authOptions.mode: token). */
export function usesTokenAuth(prepared: PreparedRayJob): boolean {
  return manifestAuthOptions(prepared)?.mode === 'token'
}
