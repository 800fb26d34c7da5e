// Findings point at the key or value at fault, with the line and column an editor shows, in the
// shapes real manifests take: nested lists, flow style, block scalars, several documents, CRLF
// line endings and a byte-order mark.
import { describe, expect, test } from '@jest/globals'
import type { Finding } from '../../src/lint/findings.js'
import { lintBytes, lintText } from '../../src/lint/lint.js'
import { defaultFeatureGates } from '../../src/lint/versions.js'

const OPTIONS = { kuberayVersion: '1.7.0' as const, featureGates: defaultFeatureGates('1.7.0') }
const at = (findings: Finding[], ruleId: string) => findings.filter((f) => f.ruleId === ruleId).map((f) => `${f.line}:${f.column}`)

const NESTED = `apiVersion: ray.io/v1
kind: RayJob
metadata:
  name: nested
spec:
  entrypoint: python train.py
  rayClusterSpec:
    headGroupSpec:
      template:
        spec:
          containers:
          - name: ray-head
            image: rayproject/ray:2.52.0
    workerGroupSpecs:
    - groupName: cpu
      minReplicas: 1
      maxReplicas: 2
      template:
        spec:
          containers:
          - name: ray-worker
            image: rayproject/ray:2.52.0
    - groupName: gpu
      minReplicas: 3
      maxReplicas: 1
      template:
        spec:
          containers:
          - name: ray-worker
            image: rayproject/ray:2.52.0
            env:
            - name: RAY_REDIS_ADDRESS
              value: redis:6379
            - name: CUDA_VISIBLE_DEVICES
              valu: "0"
`

describe('nested lists', () => {
  const { findings } = lintText('nested.yaml', NESTED, OPTIONS)

  test('a value inside the second item of a list: minReplicas of the gpu group', () => {
    expect(at(findings, 'worker-min-above-max')).toEqual(['24:20'])
  })

  test('a misspelt key in a list inside a list inside a list: env[1].valu', () => {
    expect(at(findings, 'schema-unknown-field')).toEqual(['35:15'])
    expect(findings.find((f) => f.ruleId === 'schema-unknown-field')?.message).toBe(
      'unknown field "spec.rayClusterSpec.workerGroupSpecs[1].template.spec.containers[0].env[1].valu" (did you mean "value"?)'
    )
  })

  test('the finding names the field at fault', () => {
    expect(findings.find((f) => f.ruleId === 'worker-min-above-max')?.field).toBe('spec.rayClusterSpec.workerGroupSpecs[1].minReplicas')
  })
})

describe('flow style', () => {
  const text = `apiVersion: ray.io/v1
kind: RayJob
metadata: {name: flow}
spec: {entrypoint: python x.py, backoffLimit: -1, clusterSelector: {ray.io/cluster: shared}, submissionMode: InteractiveMode}
`
  const { findings } = lintText('flow.yaml', text, OPTIONS)

  test('a value in a flow mapping', () => {
    expect(at(findings, 'backoff-limit-negative')).toEqual(['4:47'])
  })

  test('a key in a flow mapping', () => {
    const wrongList = text.replace('{ray.io/cluster: shared}', '[shared]')
    expect(at(lintText('flow.yaml', wrongList, OPTIONS).findings, 'schema-type')).toEqual(['4:68'])
  })
})

describe('block scalars', () => {
  const text = `apiVersion: ray.io/v1
kind: RayJob
metadata:
  name: block
spec:
  entrypoint: >-
    python -c "import ray;
    ray.init()"
  runtimeEnvYAML: |
    - requests
    - pendulum
  entrypointResources: |
    {"GPU": "one"}
  clusterSelector:
    ray.io/cluster: shared
`
  const { findings } = lintText('block.yaml', text, OPTIONS)

  test('a block scalar that is not a mapping points at its | indicator', () => {
    expect(at(findings, 'runtime-env-yaml-invalid')).toEqual(['9:19'])
  })

  test('a literal block holding bad JSON', () => {
    expect(at(findings, 'entrypoint-resources-not-json')).toEqual(['12:24'])
  })

  test('a folded entrypoint is read as one line, so it raises nothing', () => {
    expect(findings.map((f) => f.ruleId).sort()).toEqual(['entrypoint-resources-not-json', 'runtime-env-yaml-invalid'])
  })
})

describe('several documents', () => {
  const text = `# The ConfigMap and the Service are not RayJobs: skipped.
apiVersion: v1
kind: ConfigMap
metadata:
  name: code
data:
  main.py: |
    print("hello")
---
apiVersion: v1
kind: Service
metadata:
  name: dashboard
spec:
  ports: [{port: 8265}]
---
apiVersion: ray.io/v1
kind: RayJob
metadata:
  name: third
spec:
  entrypoint: python /code/main.py
  suspend: true
  clusterSelector:
    ray.io/cluster: shared
`
  const result = lintText('multi.yaml', text, OPTIONS)

  test('the RayJob is the third document: lines count from the top of the file', () => {
    expect(result.rayJobs).toBe(1)
    expect(result.findings.map((f) => [f.ruleId, `${f.line}:${f.column}`])).toEqual([
      ['suspend-requires-shutdown', '23:3'],
      ['selector-with-suspend', '23:3']
    ])
  })
})

describe('line endings and byte-order marks', () => {
  const text = `apiVersion: ray.io/v1
kind: RayJob
metadata:
  name: crlf
spec:
  entrypoint: python x.py
  backofLimit: 2
  clusterSelector:
    ray.io/cluster: shared
`

  test('CRLF line endings: same lines and columns as LF', () => {
    const { findings } = lintText('crlf.yaml', text.replace(/\n/g, '\r\n'), OPTIONS)
    expect(at(findings, 'schema-unknown-field')).toEqual(['7:3'])
  })

  test('a UTF-8 byte-order mark does not shift the first line', () => {
    const bom = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(text.replace('name: crlf', 'name: Bom'))])
    const { findings } = lintBytes('bom.yaml', bom, OPTIONS)
    expect(at(findings, 'name-not-dns1035')).toEqual(['4:9'])
    expect(at(findings, 'schema-unknown-field')).toEqual(['7:3'])
  })

  test('a missing key points at the nearest key that is there', () => {
    const { findings } = lintText('missing.yaml', text.replace(/ {2}clusterSelector:\n.*\n/, ''), OPTIONS)
    expect(findings.find((f) => f.ruleId === 'cluster-spec-or-selector')).toMatchObject({ line: 5, column: 1, field: 'spec' })
  })
})
