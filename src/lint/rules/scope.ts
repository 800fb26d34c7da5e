// The rules are written against a RayJob: the cluster spec at spec.rayClusterSpec (types.ts, P).
// KubeRay runs the same checks on the cluster spec of a RayCluster (spec), of a RayService
// (spec.rayClusterConfig) and on a RayCronJob's RayJob template (spec.jobTemplate). A scope shows
// the rules the object the way they expect it, and puts each finding back where it is in the file.
import { isObj, obj } from '../../manifest/model.js'
import type { Obj, Path } from '../../manifest/model.js'

export interface Scope {
  /** The object as the rules read it. */
  view(object: Obj): Obj
  /** Where a path the rules name lies in the document. */
  place(path: Path): Path
}

const startsWith = (path: Path, prefix: Path): boolean => prefix.every((segment, i) => path[i] === segment)
const moved = (path: Path, from: Path, to: Path): Path => (startsWith(path, from) ? [...to, ...path.slice(from.length)] : path)

export const wholeObject: Scope = { view: (object) => object, place: (path) => path }

const RAYJOB_CLUSTER: Path = ['spec', 'rayClusterSpec']

/** A kind whose cluster spec sits at `at` (['spec'] for a RayCluster). */
export function clusterAt(at: Path): Scope {
  const inSpec = at.length > 1
  return {
    view: (object) => {
      const spec = obj(object.spec) ?? {}
      const cluster = inSpec ? spec[at[1] as string] : object.spec
      return { ...object, spec: inSpec ? { ...spec, rayClusterSpec: cluster } : { rayClusterSpec: cluster } }
    },
    place: (path) => moved(path, RAYJOB_CLUSTER, at)
  }
}

/**
 * A RayCronJob's spec.jobTemplate, as KubeRay checks it: a RayJob with that spec and no metadata
 * (ValidateRayCronJobSpec builds `&rayv1.RayJob{Spec: rayCronJob.Spec.JobTemplate}`).
 */
export const jobTemplate: Scope = {
  view: (object) => {
    const template = obj(object.spec)?.jobTemplate
    return { apiVersion: object.apiVersion, kind: 'RayJob', metadata: {}, spec: isObj(template) ? template : {} }
  },
  place: (path) => moved(path, ['spec'], ['spec', 'jobTemplate'])
}
