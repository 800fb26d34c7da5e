// Seeds and small editing helpers for the conformance variants: every variant starts from a real
// KubeRay manifest (fixtures/kuberay-manifests, copied from KubeRay v1.7.0) and changes a few fields.
import { readdirSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { parseAllDocuments } from 'yaml'

export type Obj = Record<string, unknown>
export type Job = Obj & { metadata: Obj; spec: Obj }
export type Edit = (job: Job) => void
/** A field path: "spec.rayClusterSpec.workerGroupSpecs.0.minReplicas", or segments when a key holds a dot. */
export type FieldPath = string | (string | number)[]

export const MANIFEST_DIR = fileURLToPath(new URL('./fixtures/kuberay-manifests/', import.meta.url))

export interface ManifestFile {
  file: string
  text: string
  /** Every RayJob document of the file, as plain data. */
  rayJobs: Job[]
}

/** The real KubeRay manifests, parsed once. */
export function loadManifests(): ManifestFile[] {
  return readdirSync(MANIFEST_DIR)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((file) => {
      const text = readFileSync(MANIFEST_DIR + file, 'utf8')
      // YAML 1.1 is what Kubernetes clients (sigs.k8s.io/yaml) read manifests as.
      const rayJobs = parseAllDocuments(text, { version: '1.1' })
        .map((d) => d.toJS() as unknown)
        .filter((d): d is Job => isObj(d) && d.kind === 'RayJob')
      return { file, text, rayJobs }
    })
}

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v)

let manifests: ManifestFile[] | undefined

/** The first RayJob of a manifest under fixtures/kuberay-manifests (name without the .yaml). */
export function seed(name: string): Job {
  manifests ??= loadManifests()
  const found = manifests.find((m) => m.file === `${name}.yaml`)
  if (!found?.rayJobs[0]) throw new Error(`no RayJob seed ${name}`)
  return structuredClone(found.rayJobs[0])
}

/** A copy of `base` with the edits applied in order. */
export function from(base: Job, ...edits: Edit[]): Job {
  const job = structuredClone(base)
  for (const edit of edits) edit(job)
  return job
}

const segments = (path: FieldPath): (string | number)[] =>
  Array.isArray(path) ? path : path.split('.').map((s) => (/^\d+$/.test(s) ? Number(s) : s))

/** Sets a field, creating the objects on the way. */
export const set =
  (path: FieldPath, value: unknown): Edit =>
  (job) => {
    const parts = segments(path)
    let node: Record<string | number, unknown> = job
    for (const [i, key] of parts.slice(0, -1).entries()) {
      if (node[key] === undefined || node[key] === null) node[key] = typeof parts[i + 1] === 'number' ? [] : {}
      node = node[key] as Record<string | number, unknown>
    }
    node[parts[parts.length - 1]] = structuredClone(value)
  }

/** Removes a field (no-op when absent). */
export const unset =
  (path: FieldPath): Edit =>
  (job) => {
    const parts = segments(path)
    let node: unknown = job
    for (const key of parts.slice(0, -1)) node = (node as Record<string | number, unknown> | undefined)?.[key]
    if (node && typeof node === 'object') delete (node as Record<string | number, unknown>)[parts[parts.length - 1]]
  }

/** Shallow-merges fields into spec. */
export const spec =
  (fields: Obj): Edit =>
  (job) => {
    Object.assign(job.spec, structuredClone(fields))
  }

export const name = (value: string): Edit => set('metadata.name', value)
export const annotate = (key: string, value: string): Edit => set(['metadata', 'annotations', key], value)

export const CLUSTER = 'spec.rayClusterSpec'
export const HEAD = `${CLUSTER}.headGroupSpec`
export const HEAD_POD = `${HEAD}.template.spec`
export const HEAD_CONTAINER = `${HEAD_POD}.containers.0`
export const worker = (i: number): string => `${CLUSTER}.workerGroupSpecs.${i}`
export const workerPod = (i: number): string => `${worker(i)}.template.spec`

/** Appends an env var to a container's env (the head container by default). */
export const env =
  (envName: string, value?: string, container: string = HEAD_CONTAINER): Edit =>
  (job) => {
    const c = get(job, container) as Obj
    const list = (c.env as Obj[] | undefined) ?? []
    list.push(value === undefined ? { name: envName, valueFrom: { secretKeyRef: { name: 'redis', key: envName.toLowerCase() } } } : { name: envName, value })
    c.env = list
  }

/** Appends a copy of worker group 0 under another name, with fields changed. */
export const addWorkerGroup =
  (groupName: string, fields: Obj = {}): Edit =>
  (job) => {
    const groups = get(job, `${CLUSTER}.workerGroupSpecs`) as Obj[]
    groups.push({ ...structuredClone(groups[0]), groupName, ...structuredClone(fields) })
  }

export function get(job: unknown, path: FieldPath): unknown {
  let node = job
  for (const key of segments(path)) node = (node as Record<string | number, unknown> | undefined)?.[key]
  return node
}

/** KubeRay's basic legal cluster: autoscaling on, as several autoscaler rules need. */
export const autoscaling = (on = true): Edit => set(`${CLUSTER}.enableInTreeAutoscaling`, on)
export const autoscalerVersion = (version: 'v1' | 'v2'): Edit => set(`${CLUSTER}.autoscalerOptions.version`, version)
export const selector = (clusterName: string | undefined = 'ray-cluster-kuberay', extra: Record<string, string> = {}): Edit =>
  set('spec.clusterSelector', clusterName === undefined ? extra : { 'ray.io/cluster': clusterName, ...extra })
export const mode = (submissionMode: string): Edit => set('spec.submissionMode', submissionMode)
