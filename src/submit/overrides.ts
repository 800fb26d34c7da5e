// The inputs that win over the manifest for this run (image, runtime-env, entrypoint and its
// resources, job-metadata), applied to the RayJob before the lint judges it and before it is
// created; and the working-directory's place in the runtime env. Pure.
import { isObj } from '../manifest/model.js'
import type { Obj } from '../manifest/model.js'
import type { Overrides } from '../settings.js'
import { readYamlValue } from '../yaml/index.js'
import type { RunContext } from './identity.js'

/** The grace the backstop adds to `timeout`: time for on-timeout to act first, so the backstop only ends jobs no step is left to end. */
export const BACKSTOP_GRACE_SECONDS = 60

export interface Overridden {
  value: Obj
  /** spec.activeDeadlineSeconds as the backstop set it; undefined when it set nothing. */
  backstop?: number
  /** Things worth a warning (an image tag that disagrees with rayVersion, an image with no container to go to). */
  warnings: string[]
}

/** Every container KubeRay runs Ray in: the first container of the head and of each worker group (KubeRay's RayContainerIndex). */
function rayContainers(spec: Obj): { path: string; container: Obj }[] {
  const found: { path: string; container: Obj }[] = []
  const first = (template: unknown, path: string) => {
    const containers = isObj(template) && isObj(template.spec) ? template.spec.containers : undefined
    if (Array.isArray(containers) && isObj(containers[0])) found.push({ path: `${path}.spec.containers[0]`, container: containers[0] })
  }
  const cluster = isObj(spec.rayClusterSpec) ? spec.rayClusterSpec : undefined
  if (cluster && isObj(cluster.headGroupSpec)) first(cluster.headGroupSpec.template, 'spec.rayClusterSpec.headGroupSpec.template')
  if (cluster && Array.isArray(cluster.workerGroupSpecs)) {
    cluster.workerGroupSpecs.forEach((group, i) => isObj(group) && first(group.template, `spec.rayClusterSpec.workerGroupSpecs[${i}].template`))
  }
  first(spec.submitterPodTemplate, 'spec.submitterPodTemplate')
  return found
}

/** The version an image's tag starts with ("2.58.0" of rayproject/ray:2.58.0-py311-gpu), if it starts with one. */
export function tagVersion(image: string): string | undefined {
  const withoutDigest = image.split('@')[0]
  const lastPart = withoutDigest.slice(withoutDigest.lastIndexOf('/') + 1)
  const colon = lastPart.indexOf(':')
  if (colon < 0) return undefined
  return /^v?(\d+\.\d+(?:\.\d+)?)(?![\d.])/.exec(lastPart.slice(colon + 1))?.[1]
}

/**
 * The RayJob with the override inputs applied (a copy), and with `backstopSeconds` as
 * spec.activeDeadlineSeconds unless the manifest sets its own.
 */
export function applyOverrides(manifest: Obj, overrides: Overrides, backstopSeconds?: number): Overridden {
  const value = structuredClone(manifest)
  const warnings: string[] = []
  if (!isObj(value.spec)) value.spec = {}
  const spec = value.spec as Obj
  let backstop: number | undefined
  if (backstopSeconds !== undefined && spec.activeDeadlineSeconds === undefined) {
    spec.activeDeadlineSeconds = backstopSeconds
    backstop = backstopSeconds
  }
  if (overrides.image !== undefined) {
    const containers = rayContainers(spec)
    for (const { container } of containers) container.image = overrides.image
    if (containers.length === 0) {
      warnings.push(`image: the RayJob has neither a rayClusterSpec nor a submitterPodTemplate with a container, so the image input changes nothing (a clusterSelector RayJob runs on a cluster that exists already)`)
    }
    const rayVersion = isObj(spec.rayClusterSpec) && typeof spec.rayClusterSpec.rayVersion === 'string' ? spec.rayClusterSpec.rayVersion : undefined
    const tag = tagVersion(overrides.image)
    if (rayVersion && tag && tag !== rayVersion && !rayVersion.startsWith(`${tag}.`)) {
      warnings.push(`image: the tag of ${overrides.image} says Ray ${tag}, but spec.rayClusterSpec.rayVersion is ${rayVersion}: KubeRay configures the cluster for ${rayVersion}; make them agree`)
    }
  }
  if (overrides.runtimeEnv !== undefined) spec.runtimeEnvYAML = overrides.runtimeEnv
  if (overrides.entrypoint !== undefined) spec.entrypoint = overrides.entrypoint
  if (overrides.entrypointNumCpus !== undefined) spec.entrypointNumCpus = overrides.entrypointNumCpus
  if (overrides.entrypointNumGpus !== undefined) spec.entrypointNumGpus = overrides.entrypointNumGpus
  if (overrides.entrypointResources !== undefined) spec.entrypointResources = JSON.stringify(overrides.entrypointResources)
  if (overrides.jobMetadata !== undefined) spec.metadata = { ...(isObj(spec.metadata) ? spec.metadata : {}), ...overrides.jobMetadata }
  return { value, warnings, backstop }
}

/** The override inputs that were given, by name. */
export function overrideInputs(overrides: Overrides): string[] {
  const names: Record<keyof Overrides, string> = {
    image: 'image',
    runtimeEnv: 'runtime-env',
    entrypoint: 'entrypoint',
    entrypointNumCpus: 'entrypoint-num-cpus',
    entrypointNumGpus: 'entrypoint-num-gpus',
    entrypointResources: 'entrypoint-resources',
    jobMetadata: 'job-metadata'
  }
  return (Object.keys(names) as (keyof Overrides)[]).filter((k) => overrides[k] !== undefined).map((k) => names[k])
}

/** The input that set this field of the RayJob (a finding's `field`), if an override did. */
export function inputForField(field: string | undefined, overrides: Overrides): string | undefined {
  if (!field) return undefined
  const under = (prefix: string) => field === prefix || field.startsWith(`${prefix}.`) || field.startsWith(`${prefix}[`)
  if (overrides.runtimeEnv !== undefined && under('spec.runtimeEnvYAML')) return 'runtime-env'
  if (overrides.entrypoint !== undefined && field === 'spec.entrypoint') return 'entrypoint'
  if (overrides.entrypointNumCpus !== undefined && field === 'spec.entrypointNumCpus') return 'entrypoint-num-cpus'
  if (overrides.entrypointNumGpus !== undefined && field === 'spec.entrypointNumGpus') return 'entrypoint-num-gpus'
  if (overrides.entrypointResources !== undefined && under('spec.entrypointResources')) return 'entrypoint-resources'
  if (overrides.jobMetadata !== undefined && under('spec.metadata')) return 'job-metadata'
  if (overrides.image !== undefined && /\.containers\[0\]\.image$/.test(field) && /^spec\.(rayClusterSpec|submitterPodTemplate)/.test(field)) return 'image'
  return undefined
}

/** What the action adds to Ray's job metadata, so the Ray Dashboard links back to the run. */
export function runMetadata(run: RunContext): Record<string, string> {
  const metadata: Record<string, string> = {}
  if (run.repository) metadata.github_repository = run.repository
  if (run.serverUrl && run.repository && run.runId) {
    metadata.github_run_url = `${run.serverUrl}/${run.repository}/actions/runs/${run.runId}${run.runAttempt ? `/attempts/${run.runAttempt}` : ''}`
  }
  if (run.sha) metadata.github_commit = run.sha
  return metadata
}

/** Why working-directory cannot work for this RayJob (its mode), or undefined when it can. */
export function workingDirProblem(manifest: Obj): string | undefined {
  const spec = isObj(manifest.spec) ? manifest.spec : {}
  const mode = typeof spec.submissionMode === 'string' && spec.submissionMode ? spec.submissionMode : 'K8sJobMode'
  if (mode === 'InteractiveMode' || hasClusterSelector(spec)) return undefined
  return `working-directory: the package must be on the Ray cluster before Ray starts the job, and this RayJob (${mode}) makes its own cluster and starts the job itself. Use working-directory with submissionMode: InteractiveMode (the action submits the job once the cluster is up), or with clusterSelector (the job runs on a RayCluster that exists already). Nothing was created.`
}

export const hasClusterSelector = (spec: Obj): boolean => isObj(spec.clusterSelector) && Object.keys(spec.clusterSelector).length > 0

/** The runtime env as KubeRay reads spec.runtimeEnvYAML ({} when there is none); an error names where it came from. */
export function runtimeEnvOf(spec: Obj, from: string): Obj {
  if (typeof spec.runtimeEnvYAML !== 'string' || !spec.runtimeEnvYAML.trim()) return {}
  const read = readYamlValue(spec.runtimeEnvYAML)
  if ('error' in read) throw new Error(`${from} is not valid YAML: ${read.error}`)
  if ('refused' in read) throw new Error(`${from} is too large or too deeply nested to read`)
  const value = read.value
  if (value === null || value === undefined) return {}
  if (!isObj(value)) throw new Error(`${from} is not a YAML mapping`)
  return value
}

/** The runtime env's `excludes` (gitwildmatch patterns), for the working directory's package. */
export function runtimeEnvExcludes(runtimeEnv: Obj): string[] {
  const excludes = runtimeEnv.excludes
  return Array.isArray(excludes) ? excludes.filter((e): e is string => typeof e === 'string') : []
}

/** spec.runtimeEnvYAML with working_dir set to the package's URI (as JSON, which KubeRay's YAML reader reads as the same value). */
export function withWorkingDir(spec: Obj, uri: string, runtimeEnv: Obj): void {
  spec.runtimeEnvYAML = JSON.stringify({ ...runtimeEnv, working_dir: uri })
}
