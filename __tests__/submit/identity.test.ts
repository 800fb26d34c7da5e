import { describe, expect, it } from '@jest/globals'
import {
  createdByThisAttempt,
  deriveName,
  labelValue,
  runAnnotations,
  runLabels,
  runSuffix,
  submissionIdFor,
  submissionIdProblem
} from '../../src/submit/identity.js'
import type { RunContext } from '../../src/submit/identity.js'
import { MAX_RAYJOB_NAME } from '../../src/manifest/model.js'

const run: RunContext = { repository: 'acme/ml-pipelines', workflow: 'Train & deploy', runId: '12345678901', runAttempt: '2', sha: 'a'.repeat(40), serverUrl: 'https://github.com' }
const noRandom = () => {
  throw new Error('a run with an id must not use randomness')
}

describe('RayJob name', () => {
  it('keeps the name when no suffix is asked for', () => {
    expect(deriveName('train-mnist', '')).toBe('train-mnist')
  })

  it('appends the run id in base 36 and the attempt, so a rerun gets its own name', () => {
    const suffix = runSuffix(run, 'train')
    expect(suffix).toBe(`-${(12345678901n).toString(36)}-2`)
    expect(deriveName('train-mnist', suffix)).toBe(`train-mnist${suffix}`)
    expect(runSuffix({ ...run, runAttempt: '3' }, 'train')).not.toBe(suffix)
  })

  it('cuts a long name so the whole stays within KubeRay\'s 47 characters and ends with a letter or digit', () => {
    const base = 'a-very-long-rayjob-name-for-a-nightly-training-pipeline'
    const name = deriveName(base, runSuffix(run, base))
    expect(name.length).toBeLessThanOrEqual(MAX_RAYJOB_NAME)
    expect(name).toMatch(/^[a-z]([-a-z0-9]*[a-z0-9])?$/)
    expect(deriveName('abcdefghij-klmnopqrstuvwxyz-abcdefghijklmn-', '-zzzzzz-1')).not.toContain('--')
  })

  it('derives a stable suffix from the name when there is no run (a local run)', () => {
    expect(runSuffix({}, 'train')).toBe(runSuffix({}, 'train'))
    expect(runSuffix({}, 'train')).toMatch(/^-[a-z0-9]{1,6}-1$/)
  })
})

describe('submission ID', () => {
  it("uses the manifest's spec.jobId when there is one", () => {
    expect(submissionIdFor('nightly-2026-11-25', run, 'ml', 'train', noRandom)).toBe('nightly-2026-11-25')
  })

  it('derives the same raysubmit_ ID for a rerun of the same attempt, and another for the next attempt', () => {
    const first = submissionIdFor(undefined, run, 'ml', 'train', noRandom)
    expect(first).toMatch(/^raysubmit_[a-km-zA-HJ-NP-Z1-9]{16}$/)
    expect(submissionIdFor(undefined, run, 'ml', 'train', noRandom)).toBe(first)
    expect(submissionIdFor(undefined, { ...run, runAttempt: '3' }, 'ml', 'train', noRandom)).not.toBe(first)
    expect(submissionIdFor(undefined, run, 'other-namespace', 'train', noRandom)).not.toBe(first)
  })

  it('is random without a run', () => {
    const a = submissionIdFor(undefined, {}, 'ml', 'train', () => Buffer.alloc(32, 1))
    const b = submissionIdFor(undefined, {}, 'ml', 'train', () => Buffer.alloc(32, 2))
    expect(a).not.toBe(b)
    expect(a).toMatch(/^raysubmit_[A-Za-z1-9]{16}$/)
  })

  it('refuses IDs Ray cannot store (a "/" breaks its log paths)', () => {
    expect(submissionIdProblem('team/nightly')).toMatch(/only letters, digits, "\.", "_" and "-"/)
    expect(submissionIdProblem('nightly_1.2-a')).toBeUndefined()
  })
})

describe('labels and annotations', () => {
  it('sanitises label values to what Kubernetes accepts', () => {
    expect(labelValue('acme/ml-pipelines')).toBe('acme_ml-pipelines')
    expect(labelValue('Train & deploy')).toBe('Train_deploy')
    expect(labelValue('-x-')).toBe('x')
    expect(labelValue('a'.repeat(80))).toHaveLength(63)
    expect(labelValue('refs/heads/feat/x/')).toBe('refs_heads_feat_x')
  })

  it('labels the run, attempt, repository, workflow and commit', () => {
    expect(runLabels(run)).toEqual({
      'app.kubernetes.io/managed-by': 'rayjob-action',
      'rayjob-action/repository': 'acme_ml-pipelines',
      'rayjob-action/workflow': 'Train_deploy',
      'rayjob-action/run-id': '12345678901',
      'rayjob-action/run-attempt': '2',
      'rayjob-action/commit': 'a'.repeat(40)
    })
    expect(runLabels({})).toEqual({ 'app.kubernetes.io/managed-by': 'rayjob-action' })
  })

  it('keeps the full values and a link to the run attempt in annotations', () => {
    expect(runAnnotations(run)).toMatchObject({
      'rayjob-action/repository': 'acme/ml-pipelines',
      'rayjob-action/workflow': 'Train & deploy',
      'rayjob-action/run-url': 'https://github.com/acme/ml-pipelines/actions/runs/12345678901/attempts/2'
    })
  })

  it('recognises a RayJob this same attempt created, and only that', () => {
    const labels = runLabels(run)
    expect(createdByThisAttempt(labels, run)).toBe(true)
    expect(createdByThisAttempt(labels, { ...run, runAttempt: '3' })).toBe(false)
    expect(createdByThisAttempt(labels, { ...run, repository: 'acme/other' })).toBe(false)
    expect(createdByThisAttempt(undefined, run)).toBe(false)
    expect(createdByThisAttempt(labels, {})).toBe(false)
  })
})
