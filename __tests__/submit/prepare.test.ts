import { describe, expect, it } from '@jest/globals'
import { parse } from 'yaml'
import { lintText } from '../../src/lint/lint.js'
import { interactiveSubmission, isOurEarlierRayJob, prepareRayJob, relationTo, selectOne, SubmitInputError } from '../../src/submit/prepare.js'
import { ownedByStep } from '../../src/submit/post-step.js'
import type { PrepareOptions } from '../../src/submit/prepare.js'

const MANIFEST = `apiVersion: ray.io/v1
kind: RayJob
metadata:
  name: train-mnist
  namespace: ml
  labels: {team: vision}
  resourceVersion: "123"
  uid: 0f0f
spec:
  entrypoint: python train.py --epochs 2
  submissionMode: InteractiveMode
  runtimeEnvYAML: |
    env_vars:
      EPOCHS: "2"
  metadata: {owner: ci}
  entrypointNumCpus: 1
  entrypointResources: '{"accelerator": 1}'
  rayClusterSpec:
    headGroupSpec:
      template:
        spec:
          containers: [{name: ray-head, image: rayproject/ray:2.58.0}]
status:
  jobDeploymentStatus: Running
`
const run = { repository: 'acme/ml', runId: '99', runAttempt: '1', workflow: 'ci' }
const options = (over: Partial<PrepareOptions> = {}): PrepareOptions => ({ nameSuffix: 'none', run, random: () => Buffer.alloc(32, 7), ...over })
const manifest = () => parse(MANIFEST) as Record<string, unknown>
/** The RayJob documents of a file, as the lint hands them to submit. */
const rayJobsIn = (file: string, text: string) => lintText(file, text, { kuberayVersion: '1.7.0', featureGates: {}, keepRayJobs: true }).documents ?? []

describe('choosing the RayJob to submit', () => {
  it('takes the one RayJob among other documents', () => {
    const found = rayJobsIn('deploy/job.yaml', `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n---\n${MANIFEST}`)
    expect(found).toHaveLength(1)
    expect(selectOne(found, ['deploy/job.yaml'], ['deploy/*.yaml'])).toMatchObject({ file: 'deploy/job.yaml', line: 5 })
  })

  it('says what it found when there is no RayJob or more than one', () => {
    expect(() => selectOne([], ['a.yaml', 'b.yaml'], ['*.yaml'])).toThrow(/exactly one RayJob.*matched 2 file\(s\) with no RayJob document: a\.yaml, b\.yaml/)
    // A glob that picks a RayCluster or a RayService says so: submit creates RayJobs only.
    const others = [
      { file: 'ray/cluster.yaml', line: 1, kind: 'RayCluster' as const, name: 'shared' },
      { file: 'ray/serve.yaml', line: 3, kind: 'RayService' as const, name: 'llm' }
    ]
    expect(() => selectOne([], ['ray/cluster.yaml', 'ray/serve.yaml'], ['ray/*.yaml'], others)).toThrow(
      /with no RayJob document: .*passed over 2 KubeRay object\(s\) of other kinds, which submit does not create: RayCluster shared \(ray\/cluster\.yaml:1\), RayService llm \(ray\/serve\.yaml:3\)/
    )
    expect(() => selectOne(rayJobsIn('jobs.yaml', `${MANIFEST}---\n${MANIFEST.replace('train-mnist', 'eval')}`), ['jobs.yaml'], ['jobs.yaml'])).toThrow(/matched 2: jobs\.yaml:1 \(train-mnist\), jobs\.yaml:\d+ \(eval\)/)
  })
})

describe('preparing the RayJob', () => {
  it('places, names, labels it and fixes its submission ID in spec.jobId', () => {
    const prepared = prepareRayJob(manifest(), options())
    expect(prepared).toMatchObject({ namespace: 'ml', name: 'train-mnist', submissionMode: 'InteractiveMode', backoffLimit: 0 })
    expect(prepared.submissionId).toMatch(/^raysubmit_/)
    const object = prepared.object as { metadata: Record<string, unknown>; spec: Record<string, unknown>; status?: unknown }
    expect(object.spec.jobId).toBe(prepared.submissionId)
    expect(object.metadata.labels).toMatchObject({ team: 'vision', 'rayjob-action/run-id': '99', 'rayjob-action/repository': 'acme_ml' })
    expect(object.metadata).not.toHaveProperty('resourceVersion')
    expect(object.metadata).not.toHaveProperty('uid')
    expect(object).not.toHaveProperty('status')
  })

  it('lets the inputs override namespace and name, and adds the run suffix', () => {
    const prepared = prepareRayJob(manifest(), options({ namespace: 'ci', name: 'smoke', nameSuffix: 'run' }))
    expect(prepared.namespace).toBe('ci')
    expect(prepared.name).toBe('smoke-2r-1')
  })

  it("falls back to the context's namespace, then default", () => {
    const object = manifest()
    delete (object.metadata as Record<string, unknown>).namespace
    expect(prepareRayJob(object, options({ contextNamespace: 'team-a' })).namespace).toBe('team-a')
    expect(prepareRayJob(object, options()).namespace).toBe('default')
  })

  it('refuses a name KubeRay would refuse, saying where it came from', () => {
    expect(() => prepareRayJob(manifest(), options({ name: 'Train_MNIST' }))).toThrow(
      'the RayJob name "Train_MNIST" is not a valid DNS-1035 label: a DNS-1035 label must consist of lower case alphanumeric characters or \'-\', start with an alphabetic character, and end with an alphanumeric character (e.g. \'my-name\',  or \'abc-123\', regex used for validation is \'[a-z]([-a-z0-9]*[a-z0-9])?\'); it comes from the name input'
    )
    expect(() => prepareRayJob(manifest(), options({ name: 'x'.repeat(48) }))).toThrow(/is 48 characters long: KubeRay allows at most 47 .*; it comes from the name input$/)
    // The run suffix never makes a valid name too long: the base is cut to make room.
    expect(prepareRayJob(manifest(), options({ name: 'x'.repeat(47), nameSuffix: 'run' })).name).toHaveLength(47)
  })

  it('needs a name: generateName cannot be found again by a rerun', () => {
    const object = manifest()
    delete (object.metadata as Record<string, unknown>).name
    expect(() => prepareRayJob(object, options())).toThrow(SubmitInputError)
    expect(() => prepareRayJob(object, options())).toThrow(/no metadata\.name.*generateName is not supported/)
  })

  it("keeps the manifest's own jobId, and refuses one Ray cannot store", () => {
    const object = manifest()
    ;(object.spec as Record<string, unknown>).jobId = 'nightly-42'
    expect(prepareRayJob(object, options()).submissionId).toBe('nightly-42')
    ;(object.spec as Record<string, unknown>).jobId = 'team/nightly'
    expect(() => prepareRayJob(object, options())).toThrow(/"\/" breaks its log paths/)
  })

  it('recognises the RayJob an earlier try of the same attempt created', () => {
    const prepared = prepareRayJob(manifest(), options())
    expect(isOurEarlierRayJob(prepared.object, prepared, run)).toBe(true)
    expect(isOurEarlierRayJob(prepared.object, prepared, { ...run, runAttempt: '2' })).toBe(false)
    const other = structuredClone(prepared.object) as { spec: Record<string, unknown> }
    other.spec.jobId = 'someone-else'
    expect(isOurEarlierRayJob(other, prepared, run)).toBe(false)
  })

  it('never takes a matrix leg\'s or another job\'s RayJob for its own, even under the same name and run attempt (issue 9, defect 12)', () => {
    const legA = prepareRayJob(manifest(), options({ nameSuffix: 'run', run: { ...run, job: 'train' }, stepToken: 'a'.repeat(32) }))
    const otherEntrypoint = manifest()
    ;(otherEntrypoint.spec as Record<string, unknown>).entrypoint = 'python train.py --model resnet'
    const legB = prepareRayJob(otherEntrypoint, options({ nameSuffix: 'run', run: { ...run, job: 'train' }, stepToken: 'b'.repeat(32) }))
    expect(legB.name).toBe(legA.name)
    expect(relationTo(legA.object, legB, { ...run, job: 'train' })).toBe('sibling')
    const otherJob = prepareRayJob(manifest(), options({ nameSuffix: 'run', run: { ...run, job: 'deploy' }, stepToken: 'c'.repeat(32) }))
    expect(relationTo(legA.object, otherJob, { ...run, job: 'deploy' })).toBe('sibling')
    // A rerun of the same step with the same spec follows its own earlier RayJob.
    const rerun = prepareRayJob(manifest(), options({ nameSuffix: 'run', run: { ...run, job: 'train' }, stepToken: 'd'.repeat(32) }))
    expect(relationTo(legA.object, rerun, { ...run, job: 'train' })).toBe('ours')
    expect(relationTo(legA.object, rerun, { ...run, runId: '100', job: 'train' })).toBe('foreign')
  })

  it('ties the RayJob to this step execution by a token no other run has (issue 9, defect 9)', () => {
    const prepared = prepareRayJob(manifest(), options({ stepToken: 'f'.repeat(32) }))
    const saved = { namespace: 'ml', name: prepared.name, submissionId: prepared.submissionId, stepToken: 'f'.repeat(32) }
    expect(ownedByStep(prepared.object, saved)).toBe(true)
    // A RayJob with the same fixed spec.jobId from another run is not ours.
    const sameJobId = prepareRayJob(manifest(), options({ stepToken: 'e'.repeat(32) }))
    expect(sameJobId.submissionId).toBe(prepared.submissionId)
    expect(ownedByStep(sameJobId.object, saved)).toBe(false)
    // Nor is one without any token (made by hand, or by an older version of the action).
    const byHand = manifest()
    ;(byHand.spec as Record<string, unknown>).jobId = prepared.submissionId
    expect(ownedByStep(byHand, saved)).toBe(false)
    expect(ownedByStep(byHand, { ...saved, stepToken: undefined })).toBe(false)
    // Once the create returned the UID, the UID decides.
    const stored = { ...prepared.object, metadata: { ...(prepared.object.metadata as object), uid: 'u-1' } }
    expect(ownedByStep(stored, { ...saved, uid: 'u-1' })).toBe(true)
    expect(ownedByStep(stored, { ...saved, uid: 'u-2' })).toBe(false)
  })

  it('refuses a namespace the API server would refuse, quoting it so control characters show (issue 9, defect 8)', () => {
    const object = manifest()
    ;(object.metadata as Record<string, unknown>).namespace = 'ns\r::error::x'
    expect(() => prepareRayJob(object, options())).toThrow('the namespace "ns\\r::error::x" is not a valid Kubernetes namespace name')
    expect(() => prepareRayJob(manifest(), options({ contextNamespace: 'x', namespace: 'Bad_NS' }))).toThrow(/from the namespace input/)
  })
})

describe('InteractiveMode submission', () => {
  it("sends what KubeRay's submitter would: entrypoint, runtime_env, metadata, entrypoint resources", () => {
    const prepared = prepareRayJob(manifest(), options())
    expect(interactiveSubmission(prepared)).toEqual({
      entrypoint: 'python train.py --epochs 2',
      submission_id: prepared.submissionId,
      runtime_env: { env_vars: { EPOCHS: '2' } },
      metadata: { owner: 'ci' },
      entrypoint_num_cpus: 1,
      entrypoint_resources: { accelerator: 1 }
    })
  })

  it('reads runtimeEnvYAML as YAML 1.1, as KubeRay and the lint do (on is true, 0755 is octal, a date stays text)', () => {
    const object = manifest()
    ;(object.spec as Record<string, unknown>).runtimeEnvYAML = 'env_vars:\n  DEBUG: on\nconfig:\n  mode: 0755\n  day: 2024-01-01\n'
    expect(interactiveSubmission(prepareRayJob(object, options())).runtime_env).toEqual({ env_vars: { DEBUG: true }, config: { mode: 493, day: '2024-01-01' } })
  })

  it('needs an entrypoint', () => {
    const object = manifest()
    delete (object.spec as Record<string, unknown>).entrypoint
    expect(() => interactiveSubmission(prepareRayJob(object, options()))).toThrow(/InteractiveMode RayJob submitted by the action needs spec\.entrypoint/)
  })
})
