// ValidateRayJobMetadata and ValidateRayJobSpec of KubeRay (ray-operator/controllers/ray/utils/validation.go),
// one entry per check. The deletion block is in deletion.ts and the cluster spec in cluster.ts;
// registry.ts lists every rule in the order KubeRay runs them.
import { isDNS1035Label } from '../k8s/validation.js'
import { MAX_RAYJOB_NAME, get, isObj, isSet, num, str } from '../../manifest/model.js'
import { readYamlValue } from '../../yaml/index.js'
import type { MessagePrefix, RuleDefinition } from './types.js'
import { atLeast } from '../versions.js'
import type { KubeRayVersion } from '../versions.js'
import { P } from './types.js'

/** The API server keeps at most 58 characters of a generateName and appends 5 random ones. */
const GENERATE_NAME_KEPT = 58

/**
 * The name KubeRay checks, and where it comes from: metadata.name, or else the one the API server
 * makes from metadata.generateName. Its 5 random characters are always [a-z0-9], so any such
 * stand-in gives KubeRay's verdict.
 */
export function nameKubeRaySees(job: unknown): { name: string; path: string[] } | undefined {
  const name = str(get(job, ['metadata', 'name']))
  if (name) return { name, path: ['metadata', 'name'] }
  const prefix = str(get(job, ['metadata', 'generateName']))
  return prefix ? { name: `${prefix.slice(0, GENERATE_NAME_KEPT)}xxxxx`, path: ['metadata', 'generateName'] } : undefined
}

/** What a kind's name checks (ValidateRayJobMetadata, ValidateRayClusterMetadata, ...) need to say. */
export interface NameChecks {
  kind: 'RayJob' | 'RayCluster' | 'RayService'
  /** Before the rule ids: '' for a RayJob (its ids came first), else "raycluster-" and so on. */
  idPrefix: string
  /** KubeRay's Max<Kind>NameLength. */
  max: number
  prefix?: MessagePrefix
  /** Why the limit: what KubeRay derives from the name. */
  why: string
  example: string
}

/** KubeRay's two name checks of a kind's metadata: the length its derived names leave, and a DNS-1035 label. */
export function nameRules({ kind, idPrefix, max, prefix, why, example }: NameChecks): RuleDefinition[] {
  const base = { source: 'kuberay', since: '1.4.0', severity: 'error', prefix } as const
  return [
    {
      ...base,
      id: `${idPrefix}name-too-long`,
      title: `${kind} name longer than ${max} characters`,
      message: `${kind} name should be no more than ${max} characters`,
      hint: `Shorten metadata.name to ${max} characters or fewer: ${why}.`,
      check: ({ job }) => {
        const seen = nameKubeRaySees(job)
        return seen && seen.name.length > max ? { path: seen.path, part: 'value' } : undefined
      }
    },
    {
      ...base,
      id: `${idPrefix}name-not-dns1035`,
      title: `${kind} name is not a DNS-1035 label`,
      message: `${kind} name should be a valid DNS1035 label: [{errors}]`,
      params: ['errors'],
      hint: `Use lower-case letters, digits and "-", starting with a letter and ending with a letter or digit (e.g. ${example}).`,
      check: ({ job }) => {
        const seen = nameKubeRaySees(job)
        if (!seen) return undefined
        const errors = isDNS1035Label(seen.name)
        // Go formats the []string with %v: "[first second]".
        return errors.length ? { path: seen.path, part: 'value', params: { errors: errors.join(' ') } } : undefined
      }
    }
  ]
}

export const metadataRules: RuleDefinition[] = nameRules({
  kind: 'RayJob',
  idPrefix: '',
  max: MAX_RAYJOB_NAME,
  prefix: 'metadata',
  why: 'KubeRay appends a 6-character suffix to name the RayCluster (53 max)',
  example: 'train-mnist'
})

/** ValidateRayJobSpec's own checks; the registry (registry.ts) puts them in KubeRay's order, around the deletion and cluster checks. */
export const specRules: RuleDefinition[] = [
  {
    id: 'suspend-requires-shutdown',
    source: 'kuberay',
    since: '1.1.0',
    severity: 'error',
    prefix: 'spec',
    title: 'suspend without shutdownAfterJobFinishes',
    message: 'a RayJob with shutdownAfterJobFinishes set to false is not allowed to be suspended',
    hint: 'Set spec.shutdownAfterJobFinishes: true, or remove spec.suspend.',
    check: ({ spec }) => (spec.suspend === true && spec.shutdownAfterJobFinishes !== true ? { path: [...P.spec, 'suspend'] } : undefined)
  },
  {
    id: 'ttl-negative',
    source: 'kuberay',
    since: '1.4.0',
    severity: 'error',
    prefix: 'spec',
    title: 'negative ttlSecondsAfterFinished',
    message: 'TTLSecondsAfterFinished must be a non-negative integer',
    hint: 'Set spec.ttlSecondsAfterFinished to 0 or more.',
    check: ({ spec }) => ((num(spec.ttlSecondsAfterFinished) ?? 0) < 0 ? { path: [...P.spec, 'ttlSecondsAfterFinished'], part: 'value' } : undefined)
  },
  {
    id: 'selector-with-suspend',
    source: 'kuberay',
    since: '1.1.0',
    severity: 'error',
    prefix: 'spec',
    title: 'suspend with clusterSelector',
    message: "the ClusterSelector mode doesn't support the suspend operation",
    hint: 'Remove spec.suspend: a RayJob that runs on an existing cluster (clusterSelector) cannot be suspended.',
    check: ({ spec, selectorMode }) => (spec.suspend === true && selectorMode ? { path: [...P.spec, 'suspend'] } : undefined)
  },
  {
    id: 'cluster-spec-or-selector',
    source: 'kuberay',
    since: '1.1.0',
    severity: 'error',
    prefix: 'spec',
    title: 'neither rayClusterSpec nor clusterSelector',
    message: 'one of RayClusterSpec or ClusterSelector must be set',
    hint: 'Add spec.rayClusterSpec to create a cluster for the job, or spec.clusterSelector: {ray.io/cluster: <name>} to use an existing one.',
    check: ({ cluster, selectorMode }) => (!cluster && !selectorMode ? { path: P.spec } : undefined)
  },
  {
    id: 'selector-cluster-name-empty',
    source: 'kuberay',
    since: '1.5.0',
    severity: 'error',
    prefix: 'none',
    title: 'clusterSelector without ray.io/cluster',
    message: 'cluster name in ClusterSelector should not be empty',
    hint: 'Set spec.clusterSelector["ray.io/cluster"] to the name of an existing RayCluster.',
    check: ({ spec, selectorMode }) =>
      selectorMode && !str(get(spec, ['clusterSelector', 'ray.io/cluster'])) ? { path: [...P.spec, 'clusterSelector'] } : undefined
  },
  {
    id: 'selector-with-sidecar-mode',
    source: 'kuberay',
    since: '1.5.0',
    severity: 'error',
    prefix: 'none',
    title: 'clusterSelector with SidecarMode',
    message: 'ClusterSelector is not supported in SidecarMode',
    hint: 'Use K8sJobMode or HTTPMode with clusterSelector, or give the job its own rayClusterSpec.',
    check: ({ selectorMode, submissionMode }) =>
      selectorMode && submissionMode === 'SidecarMode' ? { path: [...P.spec, 'submissionMode'], part: 'value' } : undefined
  },
  {
    id: 'selector-with-backoff-limit',
    source: 'kuberay',
    since: '1.6.0',
    severity: 'error',
    prefix: 'spec',
    title: 'backoffLimit with clusterSelector',
    message: 'BackoffLimit is incompatible with ClusterSelector mode',
    hint: 'Remove spec.backoffLimit (or set it to 0): retries recreate the cluster, which clusterSelector does not own.',
    check: ({ spec, selectorMode }) =>
      selectorMode && (num(spec.backoffLimit) ?? 0) > 0 ? { path: [...P.spec, 'backoffLimit'], part: 'value' } : undefined
  },
  {
    id: 'interactive-with-backoff-limit',
    source: 'kuberay',
    since: '1.4.0',
    severity: 'error',
    prefix: 'spec',
    title: 'backoffLimit with InteractiveMode',
    message: 'BackoffLimit is incompatible with InteractiveMode',
    hint: 'Remove spec.backoffLimit (or set it to 0) for InteractiveMode: a retry would reuse spec.jobId and go straight to Running.',
    check: ({ spec, submissionMode }) =>
      submissionMode === 'InteractiveMode' && (num(spec.backoffLimit) ?? 0) > 0 ? { path: [...P.spec, 'backoffLimit'], part: 'value' } : undefined
  },
  {
    id: 'sidecar-with-submitter-template',
    source: 'kuberay',
    since: '1.5.0',
    severity: 'error',
    prefix: 'none',
    title: 'SidecarMode with submitterPodTemplate',
    message: "Currently, SidecarMode doesn't support SubmitterPodTemplate",
    hint: 'Remove spec.submitterPodTemplate, or use K8sJobMode: in SidecarMode the submitter runs as a container of the head Pod.',
    check: ({ spec, submissionMode }) =>
      submissionMode === 'SidecarMode' && isSet(spec.submitterPodTemplate) ? { path: [...P.spec, 'submitterPodTemplate'] } : undefined
  },
  {
    id: 'sidecar-with-submitter-config',
    source: 'kuberay',
    since: '1.5.0',
    severity: 'error',
    prefix: 'none',
    title: 'SidecarMode with submitterConfig',
    message: "Currently, SidecarMode doesn't support SubmitterConfig",
    hint: 'Remove spec.submitterConfig, or use K8sJobMode.',
    check: ({ spec, submissionMode }) =>
      submissionMode === 'SidecarMode' && isSet(spec.submitterConfig) ? { path: [...P.spec, 'submitterConfig'] } : undefined
  },
  {
    id: 'sidecar-head-restart-policy',
    source: 'kuberay',
    since: '1.5.0',
    severity: 'error',
    prefix: 'none',
    title: 'SidecarMode head Pod restartPolicy',
    message: 'restartPolicy for head Pod should be Never or unset when using SidecarMode',
    hint: 'Remove headGroupSpec.template.spec.restartPolicy or set it to Never.',
    check: ({ submissionMode, headPodSpec }) => {
      if (submissionMode !== 'SidecarMode') return undefined
      const policy = str(headPodSpec?.restartPolicy) ?? ''
      return policy !== '' && policy !== 'Never' ? { path: [...P.headPodSpec, 'restartPolicy'], part: 'value' } : undefined
    }
  },
  {
    id: 'k8s-token-auth-unsupported',
    source: 'kuberay',
    since: '1.6.0',
    severity: 'error',
    prefix: 'spec',
    title: 'K8s token auth in a RayJob',
    message: 'K8s token auth mode is currently not supported for RayJob',
    hint: 'Remove rayClusterSpec.authOptions.enableK8sTokenAuth (Ray token auth with authOptions.mode: token is supported).',
    check: ({ cluster }) =>
      get(cluster, ['authOptions', 'enableK8sTokenAuth']) === true ? { path: [...P.cluster, 'authOptions', 'enableK8sTokenAuth'] } : undefined
  },
  {
    id: 'runtime-env-yaml-invalid',
    source: 'kuberay',
    since: '1.1.0',
    severity: 'error',
    prefix: 'none',
    title: 'runtimeEnvYAML is not a YAML mapping',
    message: 'failed to unmarshal RuntimeEnvYAML: {yaml}: {error}',
    params: ['yaml', 'error'],
    hint: 'Write spec.runtimeEnvYAML as a YAML mapping in a block scalar, e.g. `runtimeEnvYAML: |` then `pip: [requests]` indented below.',
    check: ({ spec, version }) => {
      const text = str(spec.runtimeEnvYAML)
      if (!text) return undefined
      const error = runtimeEnvProblem(text, version)
      return error ? { path: [...P.spec, 'runtimeEnvYAML'], part: 'value', params: { yaml: text, error } } : undefined
    }
  },
  {
    id: 'active-deadline-not-positive',
    source: 'kuberay',
    since: '1.1.0',
    severity: 'error',
    prefix: 'spec',
    title: 'activeDeadlineSeconds is not positive',
    message: 'activeDeadlineSeconds must be a positive integer',
    hint: 'Set spec.activeDeadlineSeconds to 1 or more, or remove it.',
    check: ({ spec }) =>
      isSet(spec.activeDeadlineSeconds) && (num(spec.activeDeadlineSeconds) ?? 1) <= 0
        ? { path: [...P.spec, 'activeDeadlineSeconds'], part: 'value' }
        : undefined
  },
  {
    id: 'pre-running-deadline-not-positive',
    source: 'kuberay',
    since: '1.6.0',
    severity: 'error',
    prefix: 'spec',
    title: 'preRunningDeadlineSeconds is not positive',
    message: 'preRunningDeadlineSeconds must be a positive integer',
    hint: 'Set spec.preRunningDeadlineSeconds to 1 or more, or remove it.',
    check: ({ spec }) =>
      isSet(spec.preRunningDeadlineSeconds) && (num(spec.preRunningDeadlineSeconds) ?? 1) <= 0
        ? { path: [...P.spec, 'preRunningDeadlineSeconds'], part: 'value' }
        : undefined
  },
  {
    id: 'backoff-limit-negative',
    source: 'kuberay',
    since: '1.2.0',
    severity: 'error',
    prefix: 'spec',
    title: 'negative backoffLimit',
    message: 'backoffLimit must be a positive integer',
    hint: 'Set spec.backoffLimit to 0 (no retries) or more.',
    check: ({ spec }) => ((num(spec.backoffLimit) ?? 0) < 0 ? { path: [...P.spec, 'backoffLimit'], part: 'value' } : undefined)
  }
]

/**
 * Why KubeRay cannot read runtimeEnvYAML (sigs.k8s.io/yaml into map[string]any), in the words of
 * its error, or undefined when it can. Like go-yaml, only the first document counts and a repeated
 * key is no error; a null document is an empty map to Go, so it passes (see readYamlValue).
 */
export function runtimeEnvProblem(text: string, version: KubeRayVersion): string | undefined {
  const read = readYamlValue(text)
  // Text the lint would not parse as a file (nested hundreds deep, or too large for `yaml`) is not judged.
  if ('refused' in read) return undefined
  if ('error' in read) return read.error
  const value = read.value
  if (value === null || value === undefined || isObj(value)) return undefined
  // encoding/json names the JSON kind of the value and KubeRay's Go type (package utils before 1.5.0).
  const kind = Array.isArray(value) ? 'array' : typeof value === 'boolean' ? 'bool' : typeof value
  const goType = atLeast(version, '1.5.0') ? 'types.RuntimeEnvType' : 'utils.RuntimeEnvType'
  return `error unmarshaling JSON: while decoding JSON: json: cannot unmarshal ${kind} into Go value of type ${goType}`
}
