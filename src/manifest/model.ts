// Small, total readers over untyped manifest data: a rule never crashes on a field of the wrong
// type (the schema check reports those), it just sees "not set".

/** Where a value sits in a document: keys and list indexes from the root. */
export type Path = readonly (string | number)[]

export type Obj = Record<string, unknown>

/** KubeRay's limit (MaxRayJobNameLength): the RayCluster name adds a 6-character suffix to it. */
export const MAX_RAYJOB_NAME = 47

export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v)

/** The KubeRay kinds the lint judges; other documents (Deployments, ConfigMaps, ...) are passed over. */
export const RAY_KINDS = ['RayJob', 'RayCluster', 'RayService', 'RayCronJob'] as const
export type RayKind = (typeof RAY_KINDS)[number]

/** The KubeRay kind of a document in the ray.io group (v1, or the deprecated v1alpha1), if it is one. */
export function rayKindOf(v: unknown): RayKind | undefined {
  if (!isObj(v) || typeof v.apiVersion !== 'string' || !v.apiVersion.startsWith('ray.io/')) return undefined
  return (RAY_KINDS as readonly unknown[]).includes(v.kind) ? (v.kind as RayKind) : undefined
}

export const obj = (v: unknown): Obj | undefined => (isObj(v) ? v : undefined)
export const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : [])
export const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined)
export const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined)
/** Go's `*T != nil` for a field read from YAML: present and not null. */
export const isSet = (v: unknown): boolean => v !== undefined && v !== null
/** Go's `len(map) != 0` / `len(slice) != 0` / `s != ""`. */
export const nonEmpty = (v: unknown): boolean =>
  Array.isArray(v) ? v.length > 0 : isObj(v) ? Object.keys(v).length > 0 : typeof v === 'string' ? v !== '' : isSet(v)

export function get(value: unknown, path: Path): unknown {
  let current = value
  for (const segment of path) {
    if (typeof segment === 'number') current = Array.isArray(current) ? current[segment] : undefined
    else current = isObj(current) ? current[segment] : undefined
  }
  return current
}

/** "spec.workerGroupSpecs[0].minReplicas" for a path. */
export function formatPath(path: Path): string {
  return path.reduce<string>((out, s) => (typeof s === 'number' ? `${out}[${s}]` : out ? `${out}.${s}` : s), '')
}

export const deepClone = <T>(v: T): T => structuredClone(v)
