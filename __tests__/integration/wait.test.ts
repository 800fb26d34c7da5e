// command: wait against the real stack: gating on a RayJob the step did not create (an earlier
// submit step with wait: false, a RayJob applied straight to the API server as Argo CD would, one
// that ended before the wait began), and the ways it must refuse or leave a job alone.
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { CustomObjectsApi } from '@kubernetes/client-node'
import type { V1PolicyRule } from '@kubernetes/client-node'
import { parse } from 'yaml'
import { expectStepPassed, runAction, runPostStep, startAction, workspaceWith } from './action.js'
import type { ActionResult, RunningAction } from './action.js'
import {
  closeDashboardClients,
  createRayObject,
  createTestNamespace,
  dashboardRequest,
  findRayObject,
  rayJobManifest,
  serviceAccountWithRole,
  sleeperManifest,
  stackInfo,
  waitFor,
  waitForRayObject
} from './stack.js'
import type { TestNamespace } from './stack.js'

jest.setTimeout(300_000)

let ns: TestNamespace
beforeAll(async () => {
  ns = await createTestNamespace('wait')
})
afterAll(async () => {
  await closeDashboardClients()
  await ns?.dispose()
})

const OK = `python -c "print('ok from the driver')"`
const ENV = () => ({ KUBECONFIG: stackInfo().kubeconfig, GITHUB_RUN_ID: '4242', GITHUB_RUN_ATTEMPT: '1' })
const modeSpec = (mode: string, extra = '') => `  submissionMode: ${mode}\n${mode === 'InteractiveMode' ? '  preRunningDeadlineSeconds: 120\n' : ''}${extra}`

/** Runs `command` on one manifest in a fresh workspace: the inputs two steps of a workflow would share. */
function step(command: 'submit' | 'wait', file: string, content: string, inputs: Record<string, string> = {}): Promise<ActionResult> {
  return runAction(workspaceWith({ [file]: content }), { command, manifests: file, namespace: ns.name, 'kuberay-version': stackInfo().kuberayVersion, timeout: '3m', ...inputs }, ENV())
}

/** command: wait on a RayJob named by rayjob-name (no manifests in the workspace). */
function startWait(name: string, inputs: Record<string, string> = {}): RunningAction {
  return startAction(workspaceWith({}), { command: 'wait', 'rayjob-name': name, namespace: ns.name, timeout: '3m', ...inputs }, ENV())
}

/** Every SUBMISSION Ray lists under this ID: one, when nothing was submitted twice. */
async function submissionsOf(id: string): Promise<unknown[]> {
  const jobs = (await (await dashboardRequest('direct', 'GET', '/api/jobs/')).json()) as { submission_id?: string; type?: string }[]
  return jobs.filter((j) => j.submission_id === id && j.type === 'SUBMISSION')
}

/** The outputs a submit step with wait: true gives at the end of a passing job. */
const GATE_OUTPUTS = [
  'submission-id',
  'rayjob-name',
  'namespace',
  'ray-cluster-name',
  'dashboard-url',
  'job-status',
  'deployment-status',
  'reason',
  'message',
  'duration-seconds',
  'driver-exit-code',
  'error-type',
  'start-time',
  'end-time',
  'attempts',
  'log-file'
]

describe.each(['K8sJobMode', 'HTTPMode', 'InteractiveMode', 'SidecarMode'])('%s: submit with wait: false, then wait', (mode) => {
  it('gates like one submit step with wait: true: the same outputs and verdict, nothing submitted twice', async () => {
    const name = `two-${mode.toLowerCase().replace('mode', '')}`
    const manifest = rayJobManifest(name, OK, modeSpec(mode))
    const submitted = await step('submit', `${name}.yaml`, manifest, { wait: 'false', 'name-suffix': 'run' })
    expectStepPassed(submitted)
    const id = submitted.outputs['submission-id']
    expect(id).toMatch(/^raysubmit_/)
    expect(submitted.outputs['job-status']).not.toBe('SUCCEEDED') // it did not wait for the end

    const waited = await step('wait', `${name}.yaml`, manifest, { 'name-suffix': 'run', 'submission-id': id })
    expectStepPassed(waited)
    expect(Object.keys(waited.outputs).sort()).toEqual([...GATE_OUTPUTS].sort())
    expect(waited.outputs).toMatchObject({ 'submission-id': id, 'rayjob-name': submitted.outputs['rayjob-name'], namespace: ns.name, 'job-status': 'SUCCEEDED', 'deployment-status': 'Complete' })
    expect(waited.stdout).toContain(`Waiting on RayJob ${ns.name}/${submitted.outputs['rayjob-name']} (${name}.yaml:1), which this step did not create`)
    expect(waited.stdout).toContain('ok from the driver')
    expect(waited.stdout).not.toContain('POST /api/jobs')
    expect(await submissionsOf(id)).toHaveLength(1)
    expect(waited.summary).toContain(`| Submission ID | \`${id}\` |`)
  })
})

describe('a RayJob that ended before the wait began', () => {
  it.each([
    ['kept cluster', ''],
    ['shutdownAfterJobFinishes', '  shutdownAfterJobFinishes: true\n']
  ])('%s: the verdict comes at once, from KubeRay and Ray', async (label, extra) => {
    const name = label === 'kept cluster' ? 'ended-kept' : 'ended-shut'
    const done = await step('submit', `${name}.yaml`, rayJobManifest(name, OK, `  submissionMode: HTTPMode\n${extra}`))
    expectStepPassed(done)
    const started = Date.now()
    const waited = await runAction(workspaceWith({}), { command: 'wait', 'rayjob-name': name, namespace: ns.name, timeout: '3m' }, ENV())
    expectStepPassed(waited)
    expect(Date.now() - started).toBeLessThan(30_000)
    expect(waited.outputs).toMatchObject({ 'job-status': 'SUCCEEDED', 'deployment-status': 'Complete' })
    if (extra) {
      // Its RayCluster is gone: Ray cannot confirm the ID, so the output stays empty and the step says why.
      expect(waited.outputs['submission-id']).toBeUndefined()
      expect(waited.stdout).toContain(`submission-id is not set: Ray did not list submission ${done.outputs['submission-id']} before its RayCluster was gone`)
    } else expect(waited.outputs['submission-id']).toBe(done.outputs['submission-id'])
  })

  it('a failed one fails the wait with its reason', async () => {
    const name = 'ended-failed'
    const failed = await step('submit', `${name}.yaml`, rayJobManifest(name, 'python -c "import sys; sys.exit(4)"', '  submissionMode: HTTPMode\n'))
    expect(failed.code).toBe(1)
    const waited = await runAction(workspaceWith({}), { command: 'wait', 'rayjob-name': name, namespace: ns.name, timeout: '3m' }, ENV())
    expect(waited.code).toBe(1)
    expect(waited.outputs).toMatchObject({ 'job-status': 'FAILED', 'deployment-status': 'Failed', reason: 'AppFailed' })
  })
})

describe('a RayJob applied with the Kubernetes API (as Argo CD would), never seen by the action', () => {
  it("confirms KubeRay's own submission ID with Ray and passes", async () => {
    const name = 'from-gitops'
    await createRayObject(ns.kc, 'rayjobs', ns.name, parse(rayJobManifest(name, OK, '  submissionMode: K8sJobMode\n')) as object)
    const waited = await startWait(name).done
    expectStepPassed(waited)
    const rayJob = await findRayObject(ns.kc, 'rayjobs', ns.name, name)
    const id = (rayJob?.status as { jobId?: string } | undefined)?.jobId
    expect(id).toBeTruthy()
    expect(waited.outputs).toMatchObject({ 'submission-id': id, 'job-status': 'SUCCEEDED', 'rayjob-name': name })
  })
})

describe('refusals', () => {
  it('a missing RayJob fails at once and says what to check', async () => {
    const started = Date.now()
    const result = await startWait('no-such-job').done
    expect(result.code).toBe(1)
    expect(Date.now() - started).toBeLessThan(15_000)
    expect(result.stdout).toContain(`::error::RayJob ${ns.name}/no-such-job (rayjob-name) does not exist, so there is nothing to wait for`)
  })

  it('a RayJob running another submission than the one expected was re-created: the step fails', async () => {
    const name = 'recreated-before'
    const done = await step('submit', `${name}.yaml`, rayJobManifest(name, OK, '  submissionMode: HTTPMode\n'))
    expectStepPassed(done)
    const result = await startWait(name, { 'submission-id': 'raysubmit_sOmEoNeElSe1234' }).done
    expect(result.code).toBe(1)
    expect(result.stdout).toContain(`runs Ray submission ${done.outputs['submission-id']}, not raysubmit_sOmEoNeElSe1234 (submission-id): it was re-created by someone else`)
  })

  it('a RayJob deleted and re-created under the same name mid-wait fails the wait rather than gating on the new one', async () => {
    const name = 'recreated-mid'
    const manifest = sleeperManifest(name, 'recreated-mid-marker', 120)
    await createRayObject(ns.kc, 'rayjobs', ns.name, parse(manifest) as object)
    await waitForRayObject(ns.kc, 'rayjobs', ns.name, name, 'run', (j) => (j.status as { jobStatus?: string } | undefined)?.jobStatus === 'RUNNING', 120_000)
    const waiting = startWait(name)
    await waiting.output('submission-id')
    const api = ns.kc.makeApiClient(CustomObjectsApi)
    await api.deleteNamespacedCustomObject({ group: 'ray.io', version: 'v1', namespace: ns.name, plural: 'rayjobs', name })
    await waitFor(async () => (await findRayObject(ns.kc, 'rayjobs', ns.name, name)) === undefined, 60_000, `RayJob ${name} to be gone`)
    await createRayObject(ns.kc, 'rayjobs', ns.name, parse(sleeperManifest(name, 'recreated-mid-second', 5)) as object)
    const result = await waiting.done
    expect(result.code).toBe(1)
    expect(result.stdout).toMatch(new RegExp(`::error::RayJob ${ns.name}/${name} .*(deleted|gone)`))
  })
})

describe('cancellation', () => {
  it('with the default on-cancel (keep) leaves the job running, main step and post step alike', async () => {
    const name = 'cancel-keep'
    await createRayObject(ns.kc, 'rayjobs', ns.name, parse(sleeperManifest(name, 'cancel-keep-marker', 60)) as object)
    const waiting = startWait(name)
    const id = (await waiting.output('submission-id')).value
    waiting.child.kill('SIGINT')
    const result = await waiting.done
    expect(result.code).toBe(1)
    expect(result.stdout).toContain('The workflow was cancelled while RayJob')
    expect(result.stdout).not.toMatch(/on-cancel: (stop|delete) acts on/)
    const post = await runPostStep(workspaceWith({}), { command: 'wait', 'rayjob-name': name, namespace: ns.name }, ENV(), waiting.files)
    expect(post.code).toBe(0)
    const rayJob = await findRayObject(ns.kc, 'rayjobs', ns.name, name)
    expect(rayJob).toBeDefined()
    const ray = (await (await dashboardRequest('direct', 'GET', `/api/jobs/${id}`)).json()) as { status: string }
    expect(['PENDING', 'RUNNING', 'SUCCEEDED']).toContain(ray.status)
    expect(ray.status).not.toBe('STOPPED')
  })

  it('on-cancel: stop acts on the job and says that this step did not create it', async () => {
    const name = 'cancel-stop'
    await createRayObject(ns.kc, 'rayjobs', ns.name, parse(sleeperManifest(name, 'cancel-stop-marker', 60)) as object)
    const waiting = startWait(name, { 'on-cancel': 'stop' })
    const id = (await waiting.output('submission-id')).value
    waiting.child.kill('SIGINT')
    const result = await waiting.done
    expect(result.stdout).toContain(`on-cancel: stop acts on RayJob ${ns.name}/${name}, which this step did not create.`)
    await waitFor(async () => ((await (await dashboardRequest('direct', 'GET', `/api/jobs/${id}`)).json()) as { status: string }).status === 'STOPPED', 60_000, `Ray job ${id} to stop`)
  })
})

describe('least privilege', () => {
  it("passes with a token bound to exactly the README's Role for wait", async () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8')
    const block = /<!-- least-privilege-role-wait -->\s*```yaml\n([\s\S]*?)```/.exec(readme)
    if (!block) throw new Error('README.md has no ```yaml block after <!-- least-privilege-role-wait -->')
    const identity = await serviceAccountWithRole(ns, 'rayjob-action-wait', (parse(block[1]) as { rules: V1PolicyRule[] }).rules)
    const name = 'least-wait'
    await createRayObject(ns.kc, 'rayjobs', ns.name, parse(rayJobManifest(name, OK, '  submissionMode: HTTPMode\n')) as object)
    // A new RoleBinding reaches the API server's RBAC cache a moment later: measure the Role, not that delay.
    await waitFor(() => findRayObject(identity.kc, 'rayjobs', ns.name, name).then(() => true, () => false), 10_000, 'the RoleBinding to take effect')
    const waited = await runAction(workspaceWith({}), { command: 'wait', 'rayjob-name': name, namespace: ns.name, timeout: '3m', kubeconfig: readFileSync(identity.kubeconfigPath, 'utf8') }, { KUBECONFIG: '' })
    expectStepPassed(waited)
    expect(waited.outputs['job-status']).toBe('SUCCEEDED')
    expect(waited.stdout).toContain('ok from the driver')
  })
})
