// The CRD schema as the API server applies it: defaults first, then types, enums, ranges, list
// keys, unknown fields and the CEL rules KubeRay's CRDs carry.
import { describe, expect, test } from '@jest/globals'
import type { Obj } from '../../../src/manifest/model.js'
import { applyDefaults, checkSchema, closest, crdSchema, evaluateCel } from '../../../src/lint/schema/check.js'

const V1 = crdSchema('1.7.0', 'v1')!
const problemsOf = (job: Obj) => checkSchema(job, V1).map((p) => ({ kind: p.kind, path: p.path.join('.'), message: p.message }))
const rayJob = (spec: Obj): Obj => ({ apiVersion: 'ray.io/v1', kind: 'RayJob', metadata: { name: 'a' }, spec })
const head = { template: { spec: { containers: [{ name: 'ray-head', image: 'rayproject/ray:2.52.0' }] } } }

describe('the schemas shipped', () => {
  test.each(['1.1.1', '1.2.2', '1.3.2', '1.4.2', '1.5.2', '1.6.2', '1.7.0'])('KubeRay %s serves v1 and v1alpha1', (release) => {
    expect(crdSchema(release, 'v1')).toBeDefined()
    expect(crdSchema(release, 'v1alpha1')).toBeDefined()
    expect(crdSchema(release, 'v1beta1')).toBeUndefined()
  })

  test('only 1.7.0 marks v1alpha1 deprecated, with its warning', () => {
    expect(crdSchema('1.7.0', 'v1alpha1')?.deprecationWarning).toBe(
      'ray.io/v1alpha1 RayJob is deprecated; use ray.io/v1 RayJob. v1alpha1 receives no new fields and will be unavailable in KubeRay 1.9.'
    )
    expect(crdSchema('1.6.2', 'v1alpha1')?.deprecationWarning).toBeUndefined()
  })
})

describe('applyDefaults', () => {
  test('fills the CRD defaults where fields are absent or null, and nowhere else', () => {
    const job = rayJob({
      backoffLimit: null,
      ttlSecondsAfterFinished: 30,
      deletionStrategy: { deletionRules: [{ policy: 'DeleteSelf', condition: { jobStatus: 'SUCCEEDED' } }] },
      rayClusterSpec: { headGroupSpec: head, workerGroupSpecs: [{ groupName: 'small', template: head.template }] }
    })
    const defaulted = applyDefaults(job, V1) as { spec: Obj }
    expect(defaulted.spec).toMatchObject({
      backoffLimit: 0,
      submissionMode: 'K8sJobMode',
      ttlSecondsAfterFinished: 30,
      deletionStrategy: { deletionRules: [{ condition: { ttlSeconds: 0 } }] },
      rayClusterSpec: { workerGroupSpecs: [{ replicas: 0, minReplicas: 0, maxReplicas: 2147483647, numOfHosts: 1 }] }
    })
    expect(defaulted.spec.clusterSelector).toBeUndefined()
    expect((job.spec as Obj).submissionMode).toBeUndefined()
  })
})

describe('checkSchema', () => {
  test('a valid RayJob has no problem', () => {
    expect(problemsOf(applyDefaults(rayJob({ entrypoint: 'python x.py', rayClusterSpec: { headGroupSpec: head } }), V1))).toEqual([])
  })

  test('wrong types, with the API server wording', () => {
    expect(problemsOf(rayJob({ backoffLimit: '2', shutdownAfterJobFinishes: 'true', clusterSelector: ['a'] }))).toEqual([
      { kind: 'wrong-type', path: 'spec.backoffLimit', message: 'spec.backoffLimit in body must be of type integer: "string"' },
      { kind: 'wrong-type', path: 'spec.shutdownAfterJobFinishes', message: 'spec.shutdownAfterJobFinishes in body must be of type boolean: "string"' },
      { kind: 'wrong-type', path: 'spec.clusterSelector', message: 'spec.clusterSelector in body must be of type object: "array"' }
    ])
  })

  test('the hint for a quoted number says to drop the quotes', () => {
    expect(checkSchema(rayJob({ backoffLimit: '2' }), V1)[0].hint).toBe('Remove the quotes: write 2 as an integer, not a string.')
  })

  test('int-or-string quantities: a number or a string, and the string must be a quantity', () => {
    const withCpu = (cpu: unknown) => rayJob({ rayClusterSpec: { headGroupSpec: { template: { spec: { containers: [{ name: 'h', image: 'i', resources: { limits: { cpu } } }] } } } } })
    expect(problemsOf(withCpu(2))).toEqual([])
    expect(problemsOf(withCpu('500m'))).toEqual([])
    expect(problemsOf(withCpu('two')).map((p) => p.kind)).toEqual(['range'])
  })

  test('a null is what the API server prunes: no problem', () => {
    expect(problemsOf(rayJob({ backoffLimit: null, clusterSelector: { 'ray.io/cluster': 'c' } }))).toEqual([])
  })

  test('ranges and the int32 limit', () => {
    expect(problemsOf(rayJob({ activeDeadlineSeconds: 2 ** 31, preRunningDeadlineSeconds: 0 }))).toEqual([
      { kind: 'range', path: 'spec.activeDeadlineSeconds', message: 'spec.activeDeadlineSeconds: Invalid value: 2147483648: spec.activeDeadlineSeconds in body must fit in a 32-bit integer' },
      { kind: 'range', path: 'spec.preRunningDeadlineSeconds', message: 'spec.preRunningDeadlineSeconds: Invalid value: 0: spec.preRunningDeadlineSeconds in body should be greater than or equal to 1' }
    ])
  })

  test('fields under x-kubernetes-preserve-unknown-fields or a free-form map are not unknown', () => {
    expect(problemsOf(rayJob({ metadata: { any: 'thing' }, clusterSelector: { 'ray.io/cluster': 'c', team: 'a' } }))).toEqual([])
  })

  test('unknown fields in metadata are ObjectMeta typos', () => {
    expect(problemsOf({ apiVersion: 'ray.io/v1', kind: 'RayJob', metadata: { name: 'a', anotations: {} }, spec: {} })).toEqual([
      { kind: 'unknown-field', path: 'metadata.anotations', message: 'unknown field "metadata.anotations" (did you mean "annotations"?)' }
    ])
  })
})

describe('evaluateCel: the CEL rules of KubeRay CRDs (every shipped rule is in cel.test.ts)', () => {
  test.each([
    ["self in ['ray.io/kuberay-operator', 'kueue.x-k8s.io/multikueue']", 'kueue.x-k8s.io/multikueue', true],
    ["self in ['ray.io/kuberay-operator', 'kueue.x-k8s.io/multikueue']", 'argo', false],
    ['!(has(self.jobStatus) && has(self.jobDeploymentStatus))', { jobStatus: 'FAILED', jobDeploymentStatus: 'Failed' }, false],
    ['!(has(self.jobStatus) && has(self.jobDeploymentStatus))', { jobStatus: 'FAILED' }, true],
    ['has(self.jobStatus) || has(self.jobDeploymentStatus)', { ttlSeconds: 1 }, false],
    ['((has(self.onSuccess) && has(self.onFailure)) || has(self.deletionRules))', { onSuccess: {} }, false],
    ['((has(self.onSuccess) && has(self.onFailure)) || has(self.deletionRules))', { onSuccess: {}, onFailure: {} }, true]
  ])('%s on %j is %s', (rule, self, expected) => {
    expect(evaluateCel(rule, self)).toBe(expected)
  })

  test('any CEL, not a subset: size() and the macros', () => {
    expect(evaluateCel('size(self.deletionRules) > 0', { deletionRules: [] })).toBe(false)
    expect(evaluateCel("self.deletionRules.all(r, r.policy in ['DeleteSelf', 'DeleteNone'])", { deletionRules: [{ policy: 'DeleteSelf' }] })).toBe(true)
  })

  test('no verdict rather than a wrong one: transition rules, unknown functions, runtime errors', () => {
    expect(evaluateCel('self == oldSelf', 'x')).toBeUndefined()
    expect(evaluateCel('isURL(self)', 'https://ray.io')).toBeUndefined()
    expect(evaluateCel('self.deletionRules.size() > 0', {})).toBeUndefined()
  })
})

describe('closest: the "did you mean" of an unknown field', () => {
  test.each([
    ['backofLimit', 'backoffLimit'],
    ['BackoffLimit', 'backoffLimit'],
    ['entrypont', 'entrypoint'],
    ['rayclusterspec', 'rayClusterSpec'],
    ['submitterPodTemplates', 'submitterPodTemplate']
  ])('%s → %s', (typo, field) => {
    expect(closest(typo, ['backoffLimit', 'entrypoint', 'rayClusterSpec', 'submitterPodTemplate'])).toBe(field)
  })

  test('nothing close enough: no suggestion', () => {
    expect(closest('deletionPolicy', ['deletionStrategy', 'backoffLimit'])).toBeUndefined()
  })
})
