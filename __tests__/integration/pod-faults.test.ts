// Issue 12 on the real stack: a RayJob that cannot start says why at once. The stand-in kubelet and
// scheduler (test/stack/standin) report the faults as a kubelet and kube-scheduler do (an image
// that is not there, a missing Secret, a head that crash-loops, Pods larger than the node); the
// API server's own ResourceQuota admission refuses Pods over a quota, and the real KubeRay operator
// reports that. Also: the diagnostics with and without the optional read permissions, the
// backstop (spec.activeDeadlineSeconds) with a runner killed mid-wait, and the new outputs.
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { CoreV1Api } from '@kubernetes/client-node'
import type { V1PolicyRule } from '@kubernetes/client-node'
import { expectStepPassed, runAction, startAction, workspaceWith } from './action.js'
import type { ActionResult } from './action.js'
import { createTestNamespace, findRayObject, rayJobManifest, serviceAccountWithRole, stackInfo, waitFor } from './stack.js'
import type { TestNamespace } from './stack.js'

jest.setTimeout(300_000)

let ns: TestNamespace
beforeAll(async () => {
  ns = await createTestNamespace('pod-faults')
})
afterAll(async () => {
  await ns?.dispose()
})

const ENV = () => ({ KUBECONFIG: stackInfo().kubeconfig, GITHUB_RUN_ID: '5151', GITHUB_RUN_ATTEMPT: '1' })
const OK = `python -c "print('ok from the driver')"`

/** A head-only HTTPMode RayJob whose head container gets `containerExtra` (YAML lines at the container's indent). */
function withHead(name: string, containerExtra: string, image = 'rayproject/ray:2.58.0', entrypoint = OK): string {
  return rayJobManifest(name, entrypoint, '  submissionMode: HTTPMode\n').replace('            image: rayproject/ray:2.58.0\n', `            image: ${image}\n${containerExtra}`)
}

function submit(namespace: string, name: string, manifest: string, inputs: Record<string, string> = {}, env: Record<string, string> = ENV()): Promise<ActionResult> {
  return runAction(workspaceWith({ [`${name}.yaml`]: manifest }), { command: 'submit', manifests: `${name}.yaml`, namespace, 'kuberay-version': stackInfo().kuberayVersion, timeout: '4m', ...inputs }, env)
}

/** Seconds from the step's start to its end. */
const took = (started: number, result: ActionResult) => (result.endedAt - started) / 1000

describe('faults that will not heal end the step at once (fail-fast)', () => {
  it.each([
    ['an image the registry does not have', 'img-missing', '', 'registry.invalid/ray:2.58.0', /(ErrImagePull|ImagePullBackOff): .*registry.invalid\/ray:2.58.0: not found/],
    ['an image the registry refuses to this identity', 'img-denied', '', 'unauthorized.invalid/ray:2.58.0', /(ErrImagePull|ImagePullBackOff): .*401 Unauthorized/],
    ['an image reference that is not valid', 'img-invalid', '', 'Rayproject/Ray:2.58.0', /InvalidImageName: .*invalid reference format/],
    [
      'a Secret the container needs that does not exist',
      'no-secret',
      '            env:\n            - name: WANDB_API_KEY\n              valueFrom:\n                secretKeyRef: {name: wandb, key: token}\n',
      'rayproject/ray:2.58.0',
      /CreateContainerConfigError: secret "wandb" not found/
    ]
  ])('%s', async (_what, name, extra, image, message) => {
    const started = Date.now()
    const result = await submit(ns.name, name, withHead(name, extra, image))
    expect(result.code).toBe(1)
    expect(result.stdout).toMatch(new RegExp(`::error::RayJob ${ns.name}/${name} cannot run \\(fail-fast\\): Pod ${ns.name}/${name}-\\w+-head \\(head\\) container ray-head: ${message.source}`))
    // Within 30 s of the fault: the step took the cluster's start (seconds) plus little more, far from the 4m timeout.
    expect(took(started, result)).toBeLessThan(60)
    expect(result.outputs).toMatchObject({ 'deployment-status': 'Initializing', 'log-file': '' })
    // The diagnostics: the Pod and its container state, in a group of the log and in the summary.
    expect(result.stdout).toContain(`::group::Diagnostics of RayJob ${ns.name}/${name}`)
    expect(result.summary).toContain('<details><summary>Diagnostics</summary>')
    expect(result.stdout).toMatch(new RegExp(`Events of Pod ${name}-\\w+-head:\\n(  .*\\n)*  Normal Scheduled[^\\n]*: Successfully assigned`))
    // on-timeout (stop) applies to a job given up on: Ray never had it, so the RayJob is deleted, and nothing is left trying to start.
    expect(result.stdout).toContain(`so RayJob ${ns.name}/${name} was deleted instead`)
  })

  it('a head that crash-loops', async () => {
    const name = 'crash-head'
    const started = Date.now()
    const result = await submit(ns.name, name, withHead(name, '            env:\n            - {name: RAYJOB_STANDIN_EXIT_CODE, value: "1"}\n'))
    expect(result.code).toBe(1)
    expect(result.stdout).toMatch(new RegExp(`cannot run \\(fail-fast\\): Pod \\S+ \\(head\\) container ray-head: CrashLoopBackOff: back-off \\d+s restarting failed container=ray-head`))
    expect(took(started, result)).toBeLessThan(90)
    expect(result.stdout).toMatch(/container ray-head: waiting \(CrashLoopBackOff.*\d+ restart\(s\); last: terminated \(exit code 1/)
  })

  it('with fail-fast: false the fault is said and the wait goes on, to startup-timeout', async () => {
    const name = 'img-slow'
    const result = await submit(ns.name, name, withHead(name, '', 'registry.invalid/ray:2.58.0'), { 'fail-fast': 'false', 'startup-timeout': '40s' })
    expect(result.code).toBe(1)
    expect(result.stdout).toMatch(/Fault: Pod \S+ \(head\) container ray-head: ErrImagePull: .*\(fail-fast: false, so the step goes on waiting\)/)
    expect(result.stdout).toMatch(new RegExp(`::error::Timed out after 4\\ds starting \\(startup-timeout\\): RayJob ${ns.name}/${name} is Initializing; Ray never started running the job`))
  })

  it('a ResourceQuota that forbids the head Pod: the API server refuses it, KubeRay says so, the step ends', async () => {
    const quotaNs = await createTestNamespace('pod-quota')
    try {
      const core = quotaNs.kc.makeApiClient(CoreV1Api)
      await core.createNamespacedResourceQuota({ namespace: quotaNs.name, body: { metadata: { name: 'no-pods' }, spec: { hard: { pods: '0' } } } })
      await waitFor(async () => Boolean((await core.readNamespacedResourceQuota({ name: 'no-pods', namespace: quotaNs.name })).status?.hard?.pods), 30_000, 'the quota controller to fill the quota status')
      const name = 'over-quota'
      const started = Date.now()
      const result = await submit(quotaNs.name, name, withHead(name, ''))
      expect(result.code).toBe(1)
      expect(result.stdout).toMatch(new RegExp(`cannot run \\(fail-fast\\): RayCluster ${quotaNs.name}/\\S+: (FailedCreateHeadPod|FailedToCreateHeadPod): .*forbidden: exceeded quota: no-pods`))
      expect(result.stdout).toContain("The namespace's ResourceQuota does not leave room for the Pods")
      expect(took(started, result)).toBeLessThan(60)
    } finally {
      await quotaNs.dispose()
    }
  })
})

describe('faults that may heal', () => {
  it('an unschedulable head is said with the scheduler message, and ends at startup-timeout naming the phase', async () => {
    const name = 'too-big'
    const result = await submit(ns.name, name, withHead(name, '            resources:\n              requests: {cpu: "64"}\n'), { 'startup-timeout': '30s' })
    expect(result.code).toBe(1)
    expect(result.stdout).toMatch(/Fault that may still heal: Pod \S+ \(head\): Unschedulable: 0\/1 nodes are available: 1 Insufficient cpu/)
    expect(result.stdout).toMatch(new RegExp(`::error::Timed out after 3\\ds starting \\(startup-timeout\\): RayJob ${ns.name}/${name}`))
    expect(result.stdout).toMatch(/Pod \S+ \(head\): Pending, not scheduled \(Unschedulable: 0\/1 nodes are available/)
  })
})

describe('queue-timeout', () => {
  it('a RayJob left suspended (as a queue such as Kueue holds it) ends at queue-timeout, naming the phase', async () => {
    const name = 'queued'
    const result = await submit(ns.name, name, rayJobManifest(name, OK, '  submissionMode: HTTPMode\n  shutdownAfterJobFinishes: true\n  suspend: true\n'), { 'queue-timeout': '15s' })
    expect(result.code).toBe(1)
    expect(result.stdout).toMatch(new RegExp(`::error::Timed out after 1\\ds queued \\(queue-timeout\\): RayJob ${ns.name}/${name} is Suspended; the RayJob stayed suspended: a queue \\(Kueue\\) has not admitted it`))
  })
})

describe('diagnostics of a failed job', () => {
  const failing = (name: string) => rayJobManifest(name, `python -c "import sys; print('about to fail'); sys.exit(3)"`, '  submissionMode: K8sJobMode\n')

  it("with full permissions: conditions, events, Pods, the head's and the submitter's logs, Ray's job details, and the outputs", async () => {
    const name = 'diag-full'
    const result = await submit(ns.name, name, failing(name))
    expect(result.code).toBe(1)
    const group = result.stdout.slice(result.stdout.indexOf(`::group::Diagnostics of RayJob ${ns.name}/${name}`))
    expect(group).toMatch(/RayJob \S+:\n/)
    expect(group).toMatch(/Pods:\n {2}Pod \S+ \(head\): Running/)
    expect(group).toMatch(/Pod \S+ \(submitter\): (Failed|Succeeded|Running)/)
    expect(group).toMatch(/Last lines of \S+\/ray-job-submitter:/)
    expect(group).toMatch(/Last lines of \S+\/ray-head:/)
    expect(group).toMatch(/Ray's job details:\n {2}status: FAILED[^\n]*\n {2}driver_exit_code: 3\n {2}error_type: JOB_ENTRYPOINT_COMMAND_ERROR/)
    expect(group).not.toContain('Not shown:')
    expect(result.outputs).toMatchObject({ 'driver-exit-code': '3', 'error-type': 'JOB_ENTRYPOINT_COMMAND_ERROR', attempts: '1' })
    expect(result.outputs['start-time']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/)
    expect(Date.parse(result.outputs['end-time'])).toBeGreaterThanOrEqual(Date.parse(result.outputs['start-time']))
    expect(readFileSync(result.outputs['log-file'], 'utf8')).toContain('about to fail')
  })

  it("with the README's least-privilege Role: hints naming each permission, and the step's own failure unchanged", async () => {
    const rules: V1PolicyRule[] = [
      { apiGroups: ['ray.io'], resources: ['rayjobs'], verbs: ['get', 'watch', 'create', 'delete'] },
      { apiGroups: [''], resources: ['services/proxy'], verbs: ['get', 'create'] }
    ]
    const identity = await serviceAccountWithRole(ns, 'least', rules)
    const name = 'diag-least'
    const result = await submit(ns.name, name, failing(name), {}, { ...ENV(), KUBECONFIG: identity.kubeconfigPath })
    expect(result.code).toBe(1)
    expect(result.stdout).toMatch(/::error::RayJob \S+ failed \(AppFailed\)/)
    expect(result.stdout).toMatch(/Cannot watch the Pods for faults \(HTTP 403 Forbidden: pods is forbidden: [^\n]*\): grant list and watch on pods to have the step name a Pod fault/)
    expect(result.stdout).toMatch(/Cannot watch the RayCluster for faults \(HTTP 403 Forbidden: [^\n]*\): grant list and watch on rayclusters \(ray.io\)/)
    expect(result.stdout).toContain(`Not shown: events of RayJob ${name} (needs list on events)`)
    expect(result.stdout).toContain('Not shown: the Ray Pods (needs list on pods)')
    expect(result.stdout).toContain('Not shown: events of RayCluster')
    expect(result.stdout).toMatch(/Ray's job details:\n {2}status: FAILED/)
  })
})

describe('the backstop', () => {
  it('sets activeDeadlineSeconds to timeout + 1 minute when the manifest has none, and keeps one it has', async () => {
    const set = await submit(ns.name, 'backstop-set', rayJobManifest('backstop-set', OK, '  submissionMode: HTTPMode\n'), { timeout: '2m' })
    expectStepPassed(set)
    expect(set.stdout).toContain('Backstop: spec.activeDeadlineSeconds is set to 180 (timeout 2m + 1m)')
    expect((await findRayObject(ns.kc, 'rayjobs', ns.name, 'backstop-set'))?.spec).toMatchObject({ activeDeadlineSeconds: 180 })

    const kept = await submit(ns.name, 'backstop-kept', rayJobManifest('backstop-kept', OK, '  submissionMode: HTTPMode\n  activeDeadlineSeconds: 900\n'), { timeout: '2m' })
    expectStepPassed(kept)
    expect(kept.stdout).toContain('Backstop: the manifest sets spec.activeDeadlineSeconds (900), which is kept')
    expect((await findRayObject(ns.kc, 'rayjobs', ns.name, 'backstop-kept'))?.spec).toMatchObject({ activeDeadlineSeconds: 900 })
  })

  it('a runner killed with kill -9 mid-wait leaves a job that KubeRay itself ends at the deadline', async () => {
    const name = 'backstop-kill'
    const manifest = rayJobManifest(name, `python -c "import time; print('sleeping', flush=True); time.sleep(600)"`, '  submissionMode: HTTPMode\n')
    const step = startAction(workspaceWith({ [`${name}.yaml`]: manifest }), { command: 'submit', manifests: `${name}.yaml`, namespace: ns.name, 'kuberay-version': stackInfo().kuberayVersion, timeout: '20s' }, ENV())
    await step.output('submission-id')
    step.child.kill('SIGKILL')
    await step.done
    await waitFor(async () => (await findRayObject(ns.kc, 'rayjobs', ns.name, name))?.status?.jobDeploymentStatus === 'Failed', 150_000, 'KubeRay to end the RayJob at its activeDeadlineSeconds')
    const ended = await findRayObject(ns.kc, 'rayjobs', ns.name, name)
    expect(ended?.status).toMatchObject({ reason: 'DeadlineExceeded' })
    expect(ended?.spec).toMatchObject({ activeDeadlineSeconds: 80 })
    // Not before the deadline: 80 s after KubeRay started the RayJob (status.startTime).
    const times = (ended?.status ?? {}) as { startTime?: string; endTime?: string }
    const startedAt = Date.parse(String(times.startTime))
    const endedAt = Date.parse(String(times.endTime))
    expect(endedAt - startedAt).toBeGreaterThanOrEqual(79_000)
  })
})

describe('log-file', () => {
  it('holds every line the job printed, the last ones included', async () => {
    const name = 'log-file'
    const entrypoint = `python -c "import time; [print(f'line {i}', flush=True) for i in range(3000)]; time.sleep(1); print('the very last line')"`
    const result = await submit(ns.name, name, rayJobManifest(name, entrypoint, '  submissionMode: HTTPMode\n'))
    expectStepPassed(result)
    const path = result.outputs['log-file']
    expect(path).toMatch(new RegExp(`rayjob-${ns.name}-${name}-raysubmit_\\w+\\.log$`))
    const lines = new Set(readFileSync(path, 'utf8').split('\n'))
    expect([...Array(3000).keys()].filter((i) => !lines.has(`line ${i}`))).toEqual([])
    expect(lines.has('the very last line')).toBe(true)
    expect(result.outputs).toMatchObject({ 'driver-exit-code': '0', 'error-type': '', attempts: '1' })
  })
})
