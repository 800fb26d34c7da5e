// The CRD schemas of the four KubeRay kinds (RayJob, RayCluster, RayService, RayCronJob) shipped for
// every release the linter knows: which release serves which kind at which API version, and what a
// user sees when a RayCluster, RayService or RayCronJob manifest is checked against them.
import { describe, expect, test } from '@jest/globals'
import type { Obj } from '../../src/manifest/model.js'
import { applyDefaults, checkSchema, crdSchema, servedVersions } from '../../src/lint/schema/check.js'
import type { CrdSchema, SchemaKind } from '../../src/lint/schema/check.js'
import { KUBERAY_RELEASES, atLeast, crdReleaseFor } from '../../src/lint/versions.js'

const CRD_RELEASES = [...new Set(KUBERAY_RELEASES.map(crdReleaseFor))]
const KINDS: SchemaKind[] = ['RayJob', 'RayCluster', 'RayService', 'RayCronJob']
/** The kinds whose CRD a release ships: RayCronJob came with KubeRay 1.6. */
const kindsOf = (release: string): SchemaKind[] => KINDS.filter((kind) => kind !== 'RayCronJob' || atLeast(release, '1.6.0'))

const schemaOf = (release: string, kind: SchemaKind, apiVersion = 'v1'): CrdSchema => {
  const schema = crdSchema(release, apiVersion, kind)
  if (!schema) throw new Error(`no ${apiVersion} ${kind} schema for KubeRay ${release}`)
  return schema
}

/** The problems the API server would report for a document, defaults applied first (as the linter does). */
const problemsOf = (doc: Obj, schema: CrdSchema) =>
  checkSchema(applyDefaults(doc, schema), schema).map((p) => ({ kind: p.kind, path: p.path.join('.'), message: p.message }))

const container = { name: 'ray', image: 'rayproject/ray:2.52.0' }
const template = { spec: { containers: [container] } }
const clusterSpec = (head: Obj = {}): Obj => ({
  headGroupSpec: { rayStartParams: {}, template, ...head },
  workerGroupSpecs: [{ groupName: 'cpu', replicas: 1, minReplicas: 1, maxReplicas: 2, rayStartParams: {}, template }]
})
const doc = (kind: SchemaKind, spec: Obj): Obj => ({ apiVersion: 'ray.io/v1', kind, metadata: { name: 'a' }, spec })
const rayCluster = (head: Obj = {}): Obj => doc('RayCluster', clusterSpec(head))
const rayService = (spec: Obj = {}): Obj => doc('RayService', { rayClusterConfig: clusterSpec(), ...spec })
const rayCronJob = (spec: Obj): Obj => doc('RayCronJob', { jobTemplate: { entrypoint: 'python main.py', rayClusterSpec: clusterSpec() }, ...spec })

const SERVE_CONFIG = 'applications:\n  - name: app\n    import_path: app:deployment\n'

describe('which kinds each release serves', () => {
  test('the shipped releases are the last patch of each minor the linter knows', () => {
    expect(CRD_RELEASES).toEqual(['1.1.1', '1.2.2', '1.3.2', '1.4.2', '1.5.2', '1.6.2', '1.7.0'])
  })

  test.each(CRD_RELEASES)('KubeRay %s: a v1 schema exactly for the kinds it has', (release) => {
    const served = KINDS.filter((kind) => crdSchema(release, 'v1', kind) !== undefined)
    expect(served).toEqual(kindsOf(release))
    for (const kind of served) expect(schemaOf(release, kind)).toMatchObject({ release, apiVersion: 'v1', kind })
  })

  test.each(CRD_RELEASES)('KubeRay %s: the API versions each CRD serves', (release) => {
    const versions = Object.fromEntries(KINDS.map((kind) => [kind, servedVersions(release, kind)]))
    expect(versions).toEqual({
      RayJob: ['v1', 'v1alpha1'],
      RayCluster: ['v1', 'v1alpha1'],
      RayService: ['v1', 'v1alpha1'],
      RayCronJob: atLeast(release, '1.6.0') ? ['v1'] : []
    })
  })

  test('RayCronJob is not served before 1.6.2, at any API version or patch', () => {
    for (const version of KUBERAY_RELEASES.filter((v) => !atLeast(v, '1.6.0'))) {
      const release = crdReleaseFor(version)
      expect({ version, v1: crdSchema(release, 'v1', 'RayCronJob'), served: servedVersions(release, 'RayCronJob') }).toEqual({ version, v1: undefined, served: [] })
    }
    expect(crdSchema('1.6.2', 'v1', 'RayCronJob')).toBeDefined()
    // RayCronJob was born v1: there never was a v1alpha1 one.
    expect(crdSchema('1.7.0', 'v1alpha1', 'RayCronJob')).toBeUndefined()
  })

  test('RayJob stays the default kind, with the same schema as when asked by name', () => {
    for (const release of CRD_RELEASES) {
      for (const apiVersion of ['v1', 'v1alpha1']) {
        expect(crdSchema(release, apiVersion)).toEqual(crdSchema(release, apiVersion, 'RayJob'))
        expect(crdSchema(release, apiVersion)?.kind).toBe('RayJob')
      }
    }
  })

  test('no schema for an unknown release, API version or kind', () => {
    expect(crdSchema('1.0.0', 'v1', 'RayCluster')).toBeUndefined()
    expect(crdSchema('1.7.0', 'v1beta1', 'RayService')).toBeUndefined()
    expect(crdSchema('1.7.0', 'constructor', 'RayCluster')).toBeUndefined()
    expect(crdSchema('1.7.0', 'v1', 'Pod' as SchemaKind)).toBeUndefined()
    expect(servedVersions('1.7.0', 'toString' as SchemaKind)).toEqual([])
    expect(servedVersions('__proto__', 'RayJob')).toEqual([])
  })

  test('1.7.0 deprecates v1alpha1 of RayCluster and RayService, each with its own warning', () => {
    for (const kind of ['RayCluster', 'RayService'] as const) {
      expect(schemaOf('1.7.0', kind, 'v1alpha1').deprecationWarning).toBe(
        `ray.io/v1alpha1 ${kind} is deprecated; use ray.io/v1 ${kind}. v1alpha1 receives no new fields and will be unavailable in KubeRay 1.9.`
      )
      expect(schemaOf('1.6.2', kind, 'v1alpha1').deprecationWarning).toBeUndefined()
      expect(schemaOf('1.7.0', kind).deprecationWarning).toBeUndefined()
    }
  })
})

describe('RayCluster', () => {
  test.each(CRD_RELEASES)('KubeRay %s: a valid RayCluster has no problem', (release) => {
    expect(problemsOf(rayCluster(), schemaOf(release, 'RayCluster'))).toEqual([])
  })

  test.each(CRD_RELEASES)('KubeRay %s: spec.headGroupSpec.rayStartParam is an unknown field, with its did-you-mean', (release) => {
    const cluster = rayCluster({ rayStartParam: { 'num-cpus': '0' } })
    expect(problemsOf(cluster, schemaOf(release, 'RayCluster'))).toEqual([
      { kind: 'unknown-field', path: 'spec.headGroupSpec.rayStartParam', message: 'unknown field "spec.headGroupSpec.rayStartParam" (did you mean "rayStartParams"?)' }
    ])
  })

  test('the hint says what to rename the field to', () => {
    const [problem] = checkSchema(rayCluster({ rayStartParam: {} }), schemaOf('1.7.0', 'RayCluster'))
    expect(problem.hint).toMatch(/^Rename it to rayStartParams/)
  })

  test('a field is unknown in the releases before it came: spec.networkPolicy is new in 1.7.0', () => {
    const cluster = { ...rayCluster(), spec: { ...clusterSpec(), networkPolicy: {} } }
    expect(problemsOf(cluster, schemaOf('1.7.0', 'RayCluster'))).toEqual([])
    expect(problemsOf(cluster, schemaOf('1.6.2', 'RayCluster'))).toEqual([
      { kind: 'unknown-field', path: 'spec.networkPolicy', message: 'unknown field "spec.networkPolicy"' }
    ])
  })

  test('spec.headGroupSpec is required, and metadata names the kind', () => {
    expect(problemsOf({ apiVersion: 'ray.io/v1', kind: 'RayCluster', spec: {} }, schemaOf('1.7.0', 'RayCluster'))).toEqual([
      { kind: 'required', path: '', message: 'metadata is required (a RayCluster needs metadata.name)' },
      { kind: 'required', path: 'spec.headGroupSpec', message: 'spec.headGroupSpec: Required value' }
    ])
  })

  test('the managedBy CEL rule applies to a RayCluster from 1.3', () => {
    const cluster = { ...rayCluster(), spec: { ...clusterSpec(), managedBy: 'argo' } }
    expect(problemsOf(cluster, schemaOf('1.3.2', 'RayCluster')).map((p) => p.kind)).toEqual(['cel'])
    expect(problemsOf(cluster, schemaOf('1.2.2', 'RayCluster')).map((p) => p.kind)).toEqual(['unknown-field'])
  })
})

describe('RayService', () => {
  test.each(CRD_RELEASES)('KubeRay %s: spec.serveConfigV2 is a string (a YAML block), not a mapping', (release) => {
    const schema = schemaOf(release, 'RayService')
    expect(problemsOf(rayService({ serveConfigV2: SERVE_CONFIG }), schema)).toEqual([])
    expect(problemsOf(rayService({ serveConfigV2: { applications: [{ name: 'app', import_path: 'app:deployment' }] } }), schema)).toEqual([
      { kind: 'wrong-type', path: 'spec.serveConfigV2', message: 'spec.serveConfigV2 in body must be of type string: "object"' }
    ])
  })

  test('the RayCluster under spec.rayClusterConfig is checked too', () => {
    const service = rayService({ serveConfigV2: SERVE_CONFIG })
    ;((service.spec as Obj).rayClusterConfig as Obj).headGroupSpec = { rayStartParams: {}, template, serviceTyp: 'ClusterIP' }
    expect(problemsOf(service, schemaOf('1.7.0', 'RayService'))).toEqual([
      {
        kind: 'unknown-field',
        path: 'spec.rayClusterConfig.headGroupSpec.serviceTyp',
        message: 'unknown field "spec.rayClusterConfig.headGroupSpec.serviceTyp" (did you mean "serviceType"?)'
      }
    ])
  })
})

describe('RayCronJob', () => {
  test.each(['1.6.2', '1.7.0'])('KubeRay %s: spec.schedule is required', (release) => {
    const schema = schemaOf(release, 'RayCronJob')
    expect(problemsOf(rayCronJob({ schedule: '0 * * * *' }), schema)).toEqual([])
    expect(problemsOf(rayCronJob({}), schema)).toEqual([{ kind: 'required', path: 'spec.schedule', message: 'spec.schedule: Required value' }])
  })

  test('spec.jobTemplate is a RayJob spec, checked as one', () => {
    const cron = rayCronJob({ schedule: '@hourly' })
    ;(cron.spec as Obj).jobTemplate = { entrypoint: 'python main.py', rayClusterSpec: clusterSpec(), submisionMode: 'HTTPMode' }
    expect(problemsOf(cron, schemaOf('1.7.0', 'RayCronJob'))).toEqual([
      { kind: 'unknown-field', path: 'spec.jobTemplate.submisionMode', message: 'unknown field "spec.jobTemplate.submisionMode" (did you mean "submissionMode"?)' }
    ])
  })

  test('spec.timeZone is new in 1.7.0', () => {
    const cron = rayCronJob({ schedule: '0 3 * * *', timeZone: 'Europe/Paris' })
    expect(problemsOf(cron, schemaOf('1.7.0', 'RayCronJob'))).toEqual([])
    expect(problemsOf(cron, schemaOf('1.6.2', 'RayCronJob'))).toEqual([
      { kind: 'unknown-field', path: 'spec.timeZone', message: 'unknown field "spec.timeZone"' }
    ])
  })
})
