// ValidateRayClusterSpec through spec.rayClusterSpec: the cases are in cluster.cases.ts so that
// coverage.test.ts can count them. C6 is tested here directly: the CRD defaults make it
// unreachable through the API server.
import { describe, expect, test } from '@jest/globals'
import { parse } from 'yaml'
import type { Obj } from '../../../src/manifest/model.js'
import { defaultFeatureGates } from '../../../src/lint/versions.js'
import { CLUSTER_CASES } from './cluster.cases.js'
import { clusterRules } from '../../../src/lint/rules/cluster.js'
import { ids, lintYaml, runRuleCases, y } from './testing.js'
import { makeView } from '../../../src/lint/rules/types.js'

describe('ValidateRayClusterSpec through rayClusterSpec', () => runRuleCases(CLUSTER_CASES))

describe('worker group without minReplicas or maxReplicas (C6)', () => {
  const rule = clusterRules.find((r) => r.id === 'worker-replicas-unset')!
  /** A RayJob whose one worker group has only the given replica bounds. */
  const manifest = (bounds: string, clusterFields = ''): string => y`
    apiVersion: ray.io/v1
    kind: RayJob
    metadata:
      name: sample
    spec:
      entrypoint: python /home/ray/samples/sample_code.py
      rayClusterSpec:
        ${clusterFields}
        headGroupSpec:
          template:
            spec:
              containers: [{name: ray-head, image: rayproject/ray:2.52.0}]
        workerGroupSpecs:
          - groupName: small
            ${bounds}
            template:
              spec:
                containers: [{name: ray-worker, image: rayproject/ray:2.52.0}]
  `
  /** The check as KubeRay's unit tests run it: on the spec as written, no CRD defaults. */
  const checkUndefaulted = (text: string) => rule.check(makeView(parse(text) as Obj, '1.7.0', defaultFeatureGates('1.7.0')))

  test.each([
    ['TestValidateRayClusterSpec_WorkerGroupReplicaValidation/minReplicas is nil', 'maxReplicas: 2'],
    ['TestValidateRayClusterSpec_WorkerGroupReplicaValidation/maxReplicas is nil', 'minReplicas: 1'],
    ['TestValidateRayClusterSpec_WorkerGroupReplicaValidation/both are nil', '']
  ])('%s', (_name, group) => {
    expect(checkUndefaulted(manifest(group))).toEqual([
      { path: ['spec', 'rayClusterSpec', 'workerGroupSpecs', 0], loopIndex: 0, params: { g: 'small' } }
    ])
  })

  test('TestValidateRayClusterSpec_WorkerGroupReplicaValidation/nils are fine when autoscaling is enabled', () => {
    expect(checkUndefaulted(manifest('', 'enableInTreeAutoscaling: true'))).toEqual([])
  })

  test('through the API server the CRD defaults (0 and 2147483647) fill them in, so the lint does not report it', () => {
    const result = lintYaml(manifest(''))
    expect(ids(result)).not.toContain('worker-replicas-unset')
    expect(result.findings.filter((f) => f.severity === 'error')).toEqual([])
  })
})
