// ValidateRayJobMetadata (§1) and ValidateRayJobSpec (§2) of KubeRay, one entry per check, in
// KubeRay's order. The deletion block (S3) is in deletion.ts and the cluster spec (S14) in cluster.ts.
import { parse } from 'yaml'
import { isDNS1035Label } from '../k8s/validation.js'
import { get, isObj, isSet, num, str } from '../model.js'
import type { RuleDefinition } from './types.js'
import { P } from './types.js'

const MAX_RAYJOB_NAME = 47

export const metadataRules: RuleDefinition[] = [
  {
    id: 'name-too-long',
    ref: 'M1',
    source: 'kuberay',
    since: '1.4.0',
    severity: 'error',
    prefix: 'metadata',
    title: 'RayJob name longer than 47 characters',
    message: 'RayJob name should be no more than 47 characters',
    hint: 'Shorten metadata.name to 47 characters or fewer: KubeRay appends a 6-character suffix to name the RayCluster (53 max).',
    check: ({ job }) => {
      const name = str(get(job, ['metadata', 'name']))
      return name !== undefined && name.length > MAX_RAYJOB_NAME ? { path: ['metadata', 'name'], part: 'value' } : undefined
    }
  },
  {
    id: 'name-not-dns1035',
    ref: 'M2',
    source: 'kuberay',
    since: '1.4.0',
    severity: 'error',
    prefix: 'metadata',
    title: 'RayJob name is not a DNS-1035 label',
    message: 'RayJob name should be a valid DNS1035 label: [{errors}]',
    hint: 'Use lower-case letters, digits and "-", starting with a letter and ending with a letter or digit (e.g. train-mnist).',
    check: ({ job }) => {
      const name = str(get(job, ['metadata', 'name']))
      if (name === undefined) return undefined
      const errors = isDNS1035Label(name)
      return errors.length ? { path: ['metadata', 'name'], part: 'value', params: { errors: errors.join(', ') } } : undefined
    }
  }
]

/** Checks of ValidateRayJobSpec that come before the deletion block (S1, S2). */
export const specRulesBeforeDeletion: RuleDefinition[] = [
  {
    id: 'suspend-requires-shutdown',
    ref: 'S1',
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
    ref: 'S2',
    source: 'kuberay',
    since: '1.4.0',
    severity: 'error',
    prefix: 'spec',
    title: 'negative ttlSecondsAfterFinished',
    message: 'TTLSecondsAfterFinished must be a non-negative integer',
    hint: 'Set spec.ttlSecondsAfterFinished to 0 or more.',
    check: ({ spec }) => ((num(spec.ttlSecondsAfterFinished) ?? 0) < 0 ? { path: [...P.spec, 'ttlSecondsAfterFinished'], part: 'value' } : undefined)
  }
]

/** Checks of ValidateRayJobSpec between the deletion block and the cluster spec (S4–S13). */
export const specRulesBeforeCluster: RuleDefinition[] = [
  {
    id: 'selector-with-suspend',
    ref: 'S4',
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
    ref: 'S5',
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
    ref: 'S6',
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
    ref: 'S7',
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
    ref: 'S8',
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
    ref: 'S9',
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
    ref: 'S10',
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
    ref: 'S11',
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
    ref: 'S12',
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
    ref: 'S13',
    source: 'kuberay',
    since: '1.6.0',
    severity: 'error',
    prefix: 'spec',
    title: 'K8s token auth in a RayJob',
    message: 'K8s token auth mode is currently not supported for RayJob',
    hint: 'Remove rayClusterSpec.authOptions.enableK8sTokenAuth (Ray token auth with authOptions.mode: token is supported).',
    check: ({ cluster }) =>
      get(cluster, ['authOptions', 'enableK8sTokenAuth']) === true ? { path: [...P.cluster, 'authOptions', 'enableK8sTokenAuth'] } : undefined
  }
]

/** Checks of ValidateRayJobSpec after the cluster spec (S15–S18). */
export const specRulesAfterCluster: RuleDefinition[] = [
  {
    id: 'runtime-env-yaml-invalid',
    ref: 'S15',
    source: 'kuberay',
    since: '1.1.0',
    severity: 'error',
    prefix: 'none',
    title: 'runtimeEnvYAML is not a YAML mapping',
    message: 'failed to unmarshal RuntimeEnvYAML: {yaml}: {error}',
    hint: 'Write spec.runtimeEnvYAML as a YAML mapping in a block scalar, e.g. `runtimeEnvYAML: |` then `pip: [requests]` indented below.',
    check: ({ spec }) => {
      const text = str(spec.runtimeEnvYAML)
      if (!text) return undefined
      const error = runtimeEnvProblem(text)
      return error ? { path: [...P.spec, 'runtimeEnvYAML'], part: 'value', params: { yaml: text, error } } : undefined
    }
  },
  {
    id: 'active-deadline-not-positive',
    ref: 'S16',
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
    ref: 'S17',
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
    ref: 'S18',
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
 * Why KubeRay cannot read runtimeEnvYAML as a mapping (it unmarshals it into map[string]any),
 * or undefined when it can. A null document is an empty map to Go, so it passes.
 */
export function runtimeEnvProblem(text: string): string | undefined {
  let value: unknown
  try {
    value = parse(text, { version: '1.1', uniqueKeys: true, prettyErrors: false })
  } catch (error) {
    return (error as Error).message.split('\n')[0]
  }
  if (value === null || value === undefined || isObj(value)) return undefined
  const kind = Array.isArray(value) ? 'array' : typeof value
  return `error unmarshaling JSON: json: cannot unmarshal ${kind} into Go value of type map[string]interface {}`
}


