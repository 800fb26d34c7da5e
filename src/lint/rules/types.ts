// The shape of one lint rule: a declarative entry (id, versions, severity, message, fix hint) and
// a small check over the defaulted RayJob.
import type { RuleSource, Severity } from '../findings.js'
import type { FeatureGates, KubeRayVersion } from '../versions.js'
import { arr, get, isObj, isSet, nonEmpty, obj, str } from '../../manifest/model.js'
import type { Obj, Path } from '../../manifest/model.js'

export type Params = Record<string, string | number>

/** One place a rule is broken. */
export interface Violation {
  path: Path
  /** Point at the key (default) or at its value. */
  part?: 'key' | 'value'
  /** Values for the message template. */
  params?: Params
  /** For checks inside KubeRay's per-worker-group loop: the group's index, which orders what KubeRay reports first. */
  loopIndex?: number
}

/**
 * KubeRay wraps some errors in a prefix: "The RayJob metadata is invalid: " or "The RayJob spec is
 * invalid: " since v1.5.0, "The RayService metadata is invalid: " or "The RayService spec is
 * invalid: " since v1.6.0 (see PREFIXES in lint/validate.ts). Cluster rules take the prefix of the
 * kind whose spec holds the cluster.
 */
export type MessagePrefix = 'metadata' | 'spec' | 'service-metadata' | 'service-spec' | 'none'

/** What every rule, checked here or by the schema and file readers, says about itself (as written in its file). */
export interface RuleEntry {
  /** Stable id, used in SARIF, annotations and suppression comments. */
  id: string
  source: RuleSource
  /** First KubeRay release that applies it. */
  since: KubeRayVersion
  /** First KubeRay release that no longer applies it. */
  until?: KubeRayVersion
  severity: Severity
  /** Short title for annotations and the SARIF rule list. */
  title: string
  /** One line: how to fix it. */
  hint: string
}

/** Where a rule is defined: KubeRay's Go function at the newest release that applies it, or this README. */
export interface RuleReference {
  text: string
  /** KubeRay's source; none for the linter's own rules (reports point to the README's rules table). */
  url?: string
}

/** A rule as the registry (registry.ts) hands it to the lint and the reports. */
export interface RuleInfo extends RuleEntry {
  reference: RuleReference
}

export interface RuleDefinition extends RuleEntry {
  /** The message, with {param} placeholders; a function where the text changed between releases. */
  message: string | ((version: KubeRayVersion) => string)
  /** The names of the message's placeholders, which every violation supplies (the registry checks them against the message). */
  params?: readonly string[]
  /** KubeRay's prefix for this error (rules from KubeRay only). */
  prefix?: MessagePrefix
  /** Part of KubeRay's per-worker-group loop (all its checks run for group 0, then group 1, ...). */
  workerLoop?: boolean
  /** KubeRay joins the errors of this group into one (errors.Join), so they are reported together. */
  joinGroup?: string
  /** Only checked when this returns true (feature gates, etc.). */
  when?: (view: JobView) => boolean
  check: (view: JobView) => Violation | Violation[] | undefined
}

/** A worker group with its position, for messages and paths. */
export interface WorkerGroup {
  index: number
  name: string
  group: Obj
  path: Path
}

export interface EnvVar {
  name: string
  value?: string
}

/** The RayJob as KubeRay sees it (after CRD defaults), with the parts rules keep asking for. */
export interface JobView {
  version: KubeRayVersion
  gates: FeatureGates
  /** After CRD defaulting. */
  job: Obj
  /** As written, before CRD defaulting: for the few checks about what the user wrote. */
  written: Obj
  spec: Obj
  /** spec.rayClusterSpec, when set (Go: != nil). */
  cluster?: Obj
  head?: Obj
  headPodSpec?: Obj
  headContainer?: Obj
  headEnv: EnvVar[]
  workerGroups: WorkerGroup[]
  annotations: Record<string, string>
  submissionMode: string
  /** Go: len(spec.clusterSelector) != 0 */
  selectorMode: boolean
  /** enableInTreeAutoscaling == true */
  autoscaling: boolean
  gate(name: string): boolean
}

export const P = {
  spec: ['spec'],
  cluster: ['spec', 'rayClusterSpec'],
  head: ['spec', 'rayClusterSpec', 'headGroupSpec'],
  headPodSpec: ['spec', 'rayClusterSpec', 'headGroupSpec', 'template', 'spec'],
  headContainer: ['spec', 'rayClusterSpec', 'headGroupSpec', 'template', 'spec', 'containers', 0],
  workers: ['spec', 'rayClusterSpec', 'workerGroupSpecs']
} as const satisfies Record<string, Path>

function envOf(container: Obj | undefined): EnvVar[] {
  return arr(container?.env)
    .filter(isObj)
    .map((e) => ({ name: str(e.name) ?? '', value: str(e.value) }))
}

/** Builds the view once per document; rules only read it. */
export function makeView(job: Obj, version: KubeRayVersion, gates: FeatureGates, written: Obj = job): JobView {
  const spec = obj(job.spec) ?? {}
  const cluster = obj(spec.rayClusterSpec)
  const head = obj(cluster?.headGroupSpec)
  const headPodSpec = obj(get(head, ['template', 'spec']))
  const headContainer = obj(arr(headPodSpec?.containers)[0])
  const annotations: Record<string, string> = {}
  for (const [k, v] of Object.entries(obj(get(job, ['metadata', 'annotations'])) ?? {})) {
    if (typeof v === 'string') annotations[k] = v
  }
  return {
    version,
    gates,
    job,
    written,
    spec,
    cluster,
    head,
    headPodSpec,
    headContainer,
    headEnv: envOf(headContainer),
    workerGroups: arr(cluster?.workerGroupSpecs).flatMap((g, index) =>
      isObj(g) ? [{ index, name: str(g.groupName) ?? '', group: g, path: [...P.workers, index] }] : []
    ),
    annotations,
    submissionMode: str(spec.submissionMode) ?? '',
    selectorMode: nonEmpty(spec.clusterSelector),
    autoscaling: cluster?.enableInTreeAutoscaling === true,
    gate: (name) => gates[name] === true
  }
}

export { envOf, isSet }
