import { describe, expect, it } from '@jest/globals'
import { parse } from 'yaml'
import type { Obj } from '../../src/manifest/model.js'
import { applyOverrides, inputForField, overrideInputs, runMetadata, runtimeEnvExcludes, runtimeEnvOf, tagVersion, withWorkingDir, workingDirProblem } from '../../src/submit/overrides.js'
import { prepareRayJob } from '../../src/submit/prepare.js'

const MANIFEST = parse(`apiVersion: ray.io/v1
kind: RayJob
metadata: {name: train}
spec:
  entrypoint: python train.py
  runtimeEnvYAML: |
    pip: [requests]
  metadata: {owner: ci}
  rayClusterSpec:
    rayVersion: "2.58.0"
    headGroupSpec:
      template:
        spec:
          containers: [{name: ray-head, image: rayproject/ray:2.58.0}, {name: log-shipper, image: fluent-bit:3}]
    workerGroupSpecs:
    - groupName: cpu
      template:
        spec:
          containers: [{name: ray-worker, image: rayproject/ray:2.58.0}]
    - groupName: gpu
      template:
        spec:
          containers: [{name: ray-worker, image: rayproject/ray:2.58.0-gpu}]
  submitterPodTemplate:
    spec:
      containers: [{name: submitter, image: rayproject/ray:2.58.0}]
`) as Obj

const images = (value: Obj): string[] => {
  const spec = value.spec as { rayClusterSpec: { headGroupSpec: { template: { spec: { containers: { image: string }[] } } }; workerGroupSpecs: { template: { spec: { containers: { image: string }[] } } }[] }; submitterPodTemplate: { spec: { containers: { image: string }[] } } }
  return [
    ...spec.rayClusterSpec.headGroupSpec.template.spec.containers.map((c) => c.image),
    ...spec.rayClusterSpec.workerGroupSpecs.flatMap((g) => g.template.spec.containers.map((c) => c.image)),
    ...spec.submitterPodTemplate.spec.containers.map((c) => c.image)
  ]
}

describe('applyOverrides', () => {
  it('changes nothing without overrides, and never the manifest itself', () => {
    const { value, warnings } = applyOverrides(MANIFEST, {})
    expect(value).toEqual(MANIFEST)
    expect(value).not.toBe(MANIFEST)
    expect(warnings).toEqual([])
  })

  it('puts image on the Ray container of the head, of every worker group and of the submitter, not on sidecars', () => {
    const { value, warnings } = applyOverrides(MANIFEST, { image: 'ghcr.io/o/app:2.58.0-abc' })
    expect(images(value)).toEqual(['ghcr.io/o/app:2.58.0-abc', 'fluent-bit:3', 'ghcr.io/o/app:2.58.0-abc', 'ghcr.io/o/app:2.58.0-abc', 'ghcr.io/o/app:2.58.0-abc'])
    expect(warnings).toEqual([])
    expect(images(MANIFEST)[0]).toBe('rayproject/ray:2.58.0')
  })

  it('warns when the tag says another Ray version than rayVersion, and not for a tag without one', () => {
    expect(applyOverrides(MANIFEST, { image: 'rayproject/ray:2.9.0-py310' }).warnings).toEqual([
      'image: the tag of rayproject/ray:2.9.0-py310 says Ray 2.9.0, but spec.rayClusterSpec.rayVersion is 2.58.0: KubeRay configures the cluster for 2.58.0; make them agree'
    ])
    expect(applyOverrides(MANIFEST, { image: 'ghcr.io/o/app:c0ffee' }).warnings).toEqual([])
    expect(applyOverrides(MANIFEST, { image: 'localhost:5000/app' }).warnings).toEqual([])
  })

  it('warns that image changes nothing on a clusterSelector RayJob without a submitter template', () => {
    const selector = { ...MANIFEST, spec: { entrypoint: 'x', clusterSelector: { 'ray.io/cluster': 'shared' } } }
    expect(applyOverrides(selector, { image: 'a:1' }).warnings[0]).toMatch(/^image: the RayJob has neither a rayClusterSpec nor a submitterPodTemplate/)
  })

  it('replaces runtimeEnvYAML, the entrypoint and its resources, and merges job-metadata over spec.metadata', () => {
    const { value } = applyOverrides(MANIFEST, {
      runtimeEnv: '{"env_vars": {"A": "1"}}',
      entrypoint: 'python other.py',
      entrypointNumCpus: 0.5,
      entrypointNumGpus: 1,
      entrypointResources: { accelerator: 2 },
      jobMetadata: { team: 'ml', owner: 'input' }
    })
    expect(value.spec).toMatchObject({
      runtimeEnvYAML: '{"env_vars": {"A": "1"}}',
      entrypoint: 'python other.py',
      entrypointNumCpus: 0.5,
      entrypointNumGpus: 1,
      entrypointResources: '{"accelerator":2}',
      metadata: { owner: 'input', team: 'ml' }
    })
  })
})

describe('which input a finding is about', () => {
  const all = { image: 'a:1', runtimeEnv: 'x', entrypoint: 'e', entrypointNumCpus: 1, entrypointNumGpus: 1, entrypointResources: {}, jobMetadata: {} }
  it.each([
    ['spec.runtimeEnvYAML', 'runtime-env'],
    ['spec.entrypoint', 'entrypoint'],
    ['spec.entrypointNumCpus', 'entrypoint-num-cpus'],
    ['spec.entrypointNumGpus', 'entrypoint-num-gpus'],
    ['spec.entrypointResources', 'entrypoint-resources'],
    ['spec.metadata.team', 'job-metadata'],
    ['spec.rayClusterSpec.workerGroupSpecs[1].template.spec.containers[0].image', 'image'],
    ['spec.submitterPodTemplate.spec.containers[0].image', 'image'],
    ['spec.rayClusterSpec.headGroupSpec.template.spec.containers[1].image', undefined],
    ['spec.entrypointFoo', undefined],
    [undefined, undefined]
  ])('%s → %s', (field, input) => {
    expect(inputForField(field, all)).toBe(input)
  })

  it('only for inputs that were given', () => {
    expect(inputForField('spec.entrypoint', { image: 'a' })).toBeUndefined()
    expect(overrideInputs({ image: 'a', jobMetadata: {} })).toEqual(['image', 'job-metadata'])
  })
})

describe('tagVersion', () => {
  it.each([
    ['rayproject/ray:2.58.0', '2.58.0'],
    ['rayproject/ray:2.58.0-py311-gpu', '2.58.0'],
    ['rayproject/ray:nightly', undefined],
    ['localhost:5000/ray', undefined],
    ['localhost:5000/ray:2.9.3@sha256:abc', '2.9.3'],
    ['ray:20240101', undefined]
  ])('%s → %s', (image, version) => expect(tagVersion(image)).toBe(version))
})

describe('the run in the job metadata', () => {
  it('links back to the run', () => {
    expect(runMetadata({ repository: 'o/r', runId: '7', runAttempt: '2', serverUrl: 'https://github.com', sha: 'abc' })).toEqual({
      github_repository: 'o/r',
      github_run_url: 'https://github.com/o/r/actions/runs/7/attempts/2',
      github_commit: 'abc'
    })
    expect(runMetadata({})).toEqual({})
  })

  it("is added to spec.metadata by prepare, where the manifest's own keys win", () => {
    const manifest = { ...MANIFEST, spec: { ...(MANIFEST.spec as Obj), metadata: { owner: 'ci', github_commit: 'mine' } } }
    const prepared = prepareRayJob(manifest, { nameSuffix: 'none', run: {}, random: () => Buffer.alloc(32), runMetadata: { github_repository: 'o/r', github_commit: 'abc' } })
    expect((prepared.object.spec as Obj).metadata).toEqual({ github_repository: 'o/r', github_commit: 'mine', owner: 'ci' })
  })
})

describe('working-directory', () => {
  const mode = (spec: Obj) => workingDirProblem({ ...MANIFEST, spec })
  it('works where the action uploads before Ray starts the job: InteractiveMode, or clusterSelector in any mode', () => {
    expect(mode({ submissionMode: 'InteractiveMode' })).toBeUndefined()
    expect(mode({ clusterSelector: { 'ray.io/cluster': 'shared' } })).toBeUndefined()
    expect(mode({ submissionMode: 'HTTPMode', clusterSelector: { 'ray.io/cluster': 'shared' } })).toBeUndefined()
  })

  it.each(['K8sJobMode', 'HTTPMode', 'SidecarMode', undefined])('refuses a RayJob that makes its own cluster in %s, naming the two ways', (submissionMode) => {
    expect(mode({ submissionMode, rayClusterSpec: {} })).toMatch(new RegExp(`^working-directory: .*this RayJob \\(${submissionMode ?? 'K8sJobMode'}\\) makes its own cluster.*InteractiveMode.*clusterSelector.*Nothing was created\\.$`))
  })

  it('sets runtime_env.working_dir in runtimeEnvYAML, keeping the rest of the runtime env', () => {
    const spec: Obj = { runtimeEnvYAML: 'pip: [requests]\nexcludes: ["*.ckpt"]\nworking_dir: ./old\n' }
    const runtimeEnv = runtimeEnvOf(spec, 'spec.runtimeEnvYAML')
    expect(runtimeEnvExcludes(runtimeEnv)).toEqual(['*.ckpt'])
    withWorkingDir(spec, 'gcs://_ray_pkg_0123456789abcdef.zip', runtimeEnv)
    expect(JSON.parse(spec.runtimeEnvYAML as string)).toEqual({ pip: ['requests'], excludes: ['*.ckpt'], working_dir: 'gcs://_ray_pkg_0123456789abcdef.zip' })
  })

  it('prepare puts the package URI into the RayJob, so InteractiveMode submits it too', () => {
    const manifest = { ...MANIFEST, spec: { ...(MANIFEST.spec as Obj), submissionMode: 'InteractiveMode' } }
    const prepared = prepareRayJob(manifest, { nameSuffix: 'none', run: {}, random: () => Buffer.alloc(32), workingDirUri: 'gcs://_ray_pkg_0123456789abcdef.zip' })
    expect(JSON.parse((prepared.object.spec as Obj).runtimeEnvYAML as string)).toEqual({ pip: ['requests'], working_dir: 'gcs://_ray_pkg_0123456789abcdef.zip' })
  })

  it('reads an empty runtimeEnvYAML as no runtime env, and refuses one that is not a mapping', () => {
    expect(runtimeEnvOf({}, 'x')).toEqual({})
    expect(runtimeEnvOf({ runtimeEnvYAML: '  ' }, 'x')).toEqual({})
    expect(() => runtimeEnvOf({ runtimeEnvYAML: '- a' }, 'the runtime-env input')).toThrow('the runtime-env input is not a YAML mapping')
    expect(() => runtimeEnvOf({ runtimeEnvYAML: 'a: [b' }, 'spec.runtimeEnvYAML')).toThrow(/^spec\.runtimeEnvYAML is not valid YAML: /)
  })
})
