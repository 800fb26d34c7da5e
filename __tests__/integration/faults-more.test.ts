// More faults under the gate (issue 9): the RayJob or its namespace deleted by someone else while
// the step waits, the step's RBAC rights revoked mid-wait, the workflow cancelled before the create
// and between the create and the submission ID, and etcd restarted mid-wait.
//
// Every case ends with: the right verdict (the step passes only if Ray's job SUCCEEDED), within the
// timeout plus a stated grace, a message naming the cause, no duplicate submission (Ray's own job
// list, GET /api/jobs/ on the head, is the witness), and no RayJob of the run left running (a step
// that passed leaves its Complete RayJob, as every passing step does). Cases 1-5 run side by side;
// case 6 stops a shared stack component (etcd) and runs after them.
import { afterAll, describe, expect, it, jest } from '@jest/globals'
import { spawn } from 'node:child_process'
import { closeSync, existsSync, openSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { AuthorizationV1Api, CoreV1Api, CustomObjectsApi, RbacAuthorizationV1Api } from '@kubernetes/client-node'
import type { KubeConfig, V1PolicyRule } from '@kubernetes/client-node'
import { Agent, request } from 'undici'
import { parse } from 'yaml'
import { readKeyValueFile, runPostStep } from './action.js'
import type { ActionResult, RunningAction } from './action.js'
import { expectNothingLeftRunning, expectOneSucceeded, RAY_TERMINAL, rayJobOf, rayJobsOf, reportCase, secondsOf, sleeperCase, startCase, stopRayJobsOf } from './fault-case.js'
import type { FaultCase } from './fault-case.js'
import {
  closeDashboardClients,
  createTestNamespace,
  isNotFound,
  serviceAccountWithRole,
  sleep,
  STACK_DIR,
  stackInfo,
  waitFor,
  writeKubeconfig
} from './stack.js'
import type { TestNamespace } from './stack.js'
import { Toxiproxy } from './toxiproxy.js'

jest.setTimeout(150_000)

// Set up once, on first use: concurrent tests may start before a beforeAll has finished.
let shared: Promise<TestNamespace> | undefined
const sharedNamespace = () => (shared ??= createTestNamespace('faults-more'))
const extraNamespaces: TestNamespace[] = []
let toxiproxy: Promise<Toxiproxy> | undefined

afterAll(async () => {
  if (toxiproxy) await (await toxiproxy).stop()
  await closeDashboardClients()
  for (const ns of extraNamespaces) await ns.dispose()
  if (shared) await (await shared).dispose()
})

type Case = FaultCase

async function newCase(name: string, seconds: number, options: { ns?: TestNamespace; inputs?: Record<string, string>; env?: Record<string, string> } = {}): Promise<Case> {
  return sleeperCase(options.ns ?? (await sharedNamespace()), name, seconds, options.inputs, options.env)
}

const start = startCase
const seconds = secondsOf
const since = (at: number, end: number) => Math.round((end - at) / 1000)
const report = (c: Case, result: ActionResult, note = '') => reportCase('faults-more', c, result, note)

/**
 * After on-cancel: stop: at most one submission and none running, and the RayJob either deleted or
 * (the Ray job stopped through the Dashboard) Complete with job status STOPPED.
 */
async function expectNoJobRunning(c: Case): Promise<void> {
  await waitFor(async () => (await rayJobsOf(c)).every((j) => RAY_TERMINAL.includes(j.status)), 60_000, `the Ray jobs of ${c.name} to end`)
  expect((await rayJobsOf(c)).length).toBeLessThanOrEqual(1)
  await waitFor(
    async () => {
      const left = await rayJobOf(c)
      return left === undefined || (left.status?.jobDeploymentStatus === 'Complete' && left.status?.jobStatus === 'STOPPED')
    },
    90_000,
    `RayJob ${c.name} to be gone, or Complete with its job STOPPED`
  )
}

/** Stops what a case left running by a failed assertion: the Ray job (through the head directly) and the RayJob (admin). */
async function stopLeftovers(c: Case): Promise<void> {
  await stopRayJobsOf(c)
  await deleteRayJob(c).catch(() => {})
}

/** Deletes the case's RayJob as someone else would (the stack's admin, background propagation). */
async function deleteRayJob(c: Case): Promise<void> {
  const api = c.ns.kc.makeApiClient(CustomObjectsApi)
  try {
    await api.deleteNamespacedCustomObject({ group: 'ray.io', version: 'v1', namespace: c.ns.name, plural: 'rayjobs', name: c.name, propagationPolicy: 'Background' })
  } catch (error) {
    if (!isNotFound(error)) throw error
  }
}

/** Resolves once the step's log so far matches `pattern`; fails if the step ends first. */
async function untilLog(step: RunningAction, pattern: RegExp, timeoutMs = 120_000): Promise<number> {
  let ended = false
  void step.done.then(() => (ended = true))
  const deadline = Date.now() + timeoutMs
  for (;;) {
    if (pattern.test(step.stdoutSoFar())) return Date.now()
    if (ended) throw new Error(`the step ended before its log matched ${pattern}:\n${step.stdoutSoFar().slice(-4000)}`)
    if (Date.now() > deadline) throw new Error(`the step's log did not match ${pattern} within ${timeoutMs / 1000} s:\n${step.stdoutSoFar().slice(-4000)}`)
    await sleep(10)
  }
}

/** Cancels the step as GitHub's runner does: SIGINT, SIGTERM 7.5 s later, SIGKILL 2.5 s after that. */
function cancelLikeRunner(step: RunningAction): { cancelledAt: number } {
  const cancelledAt = Date.now()
  step.child.kill('SIGINT')
  const term = setTimeout(() => step.child.kill('SIGTERM'), 7500)
  const kill = setTimeout(() => step.child.kill('SIGKILL'), 10_000)
  void step.done.then(() => {
    clearTimeout(term)
    clearTimeout(kill)
  })
  return { cancelledAt }
}

// -------------------------------------------------------------------------------------------------
// RBAC

/** The Role the README gives, read from the README itself (as access.test.ts does). */
function readmeRole(): V1PolicyRule[] {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8')
  const block = /<!-- least-privilege-role -->\s*```yaml\n([\s\S]*?)```/.exec(readme)
  if (!block) throw new Error('README.md has no ```yaml block after <!-- least-privilege-role -->')
  return (parse(block[1]) as { rules: V1PolicyRule[] }).rules
}

/** Whether the identity may `get rayjobs` in the namespace now (SelfSubjectAccessReview). */
async function mayGetRayJobs(kc: KubeConfig, namespace: string): Promise<boolean> {
  const review = await kc.makeApiClient(AuthorizationV1Api).createSelfSubjectAccessReview({
    body: { spec: { resourceAttributes: { namespace, group: 'ray.io', resource: 'rayjobs', verb: 'get' } } }
  })
  return review.status?.allowed === true
}


// -------------------------------------------------------------------------------------------------

describe('more faults', () => {
  it.concurrent('1. the RayJob deleted by someone else mid-wait: the step fails at once saying so, and the Ray job is stopped', async () => {
    const c = await newCase('deleted', 600)
    const step = start(c)
    await step.output('submission-id')
    await sleep(3000)
    const deletedAt = Date.now()
    await deleteRayJob(c)
    const result = await step.done
    report(c, result, `${since(deletedAt, result.endedAt)} s after the delete`)
    try {
      expect(result.code).toBe(1)
      expect(result.stdout).toMatch(/::error::RayJob \S+\/deleted was deleted before its Ray job finished \(last seen: /)
      // Promptly: not at the 3-minute timeout.
      expect(result.endedAt - deletedAt).toBeLessThan(30_000)
      await expectNothingLeftRunning(c)
      // KubeRay's finalizer stopped the Ray job when the RayJob was deleted.
      expect((await rayJobsOf(c)).map((j) => j.status)).toEqual(['STOPPED'])
    } finally {
      await stopLeftovers(c)
    }
  })

  it.concurrent('2. the namespace deleted mid-wait: the step ends well before its timeout saying the RayJob was deleted; nothing is left', async () => {
    const ns = await createTestNamespace('faults-more-gone')
    extraNamespaces.push(ns)
    const c = await newCase('nsgone', 600, { ns })
    const step = start(c)
    await step.output('submission-id')
    await sleep(3000)
    const deletedAt = Date.now()
    await ns.kc.makeApiClient(CoreV1Api).deleteNamespace({ name: ns.name })
    const result = await step.done
    report(c, result, `${since(deletedAt, result.endedAt)} s after the namespace delete`)
    try {
      expect(result.code).toBe(1)
      expect(result.stdout).toMatch(/::error::RayJob \S+\/nsgone was deleted before its Ray job finished \(last seen: /)
      expect(result.endedAt - deletedAt).toBeLessThan(60_000)
      await waitFor(async () => (await rayJobOf(c)) === undefined, 90_000, `RayJob ${c.name} to be gone`)
      // Submitted once. The namespace controller deletes the head Service before KubeRay's finalizer can
      // reach the Dashboard, so KubeRay cannot stop the Ray job (it reports Ray: Failure, then lets go);
      // in a real cluster the deleted head Pod takes the job with it, but every head Pod of this stack
      // maps to one shared Ray head, where the job runs on until stopLeftovers stops it.
      expect((await rayJobsOf(c)).length).toBe(1)
      await waitFor(
        async () => {
          try {
            await ns.kc.makeApiClient(CoreV1Api).readNamespace({ name: ns.name })
            return false
          } catch (error) {
            if (isNotFound(error)) return true
            throw error
          }
        },
        90_000,
        `namespace ${ns.name} to be gone`
      )
    } finally {
      await stopLeftovers(c).catch(() => {})
    }
  })

  it.concurrent("3. the step's RoleBinding deleted mid-wait (the README's least-privilege Role): the open watch keeps telling, and the job passes", async () => {
    const ns = await sharedNamespace()
    const identity = await serviceAccountWithRole(ns, 'revoked', readmeRole())
    await waitFor(() => mayGetRayJobs(identity.kc, ns.name), 10_000, 'the RoleBinding to take effect')
    const c = await newCase('revoked', 30, { env: { KUBECONFIG: identity.kubeconfigPath } })
    const step = start(c)
    await step.output('submission-id')
    await sleep(2000)
    const revokedAt = Date.now()
    await ns.kc.makeApiClient(RbacAuthorizationV1Api).deleteNamespacedRoleBinding({ name: 'revoked', namespace: ns.name })
    await waitFor(async () => !(await mayGetRayJobs(identity.kc, ns.name)), 10_000, 'the revoke to take effect')
    const result = await step.done
    report(c, result, `rights revoked ${since(revokedAt, result.endedAt)} s before the end`)
    try {
      await expectOneSucceeded(c, result)
      // Every read after the revoke was refused; the step says so in its debug log.
      expect(result.stdout).toMatch(/::debug::.*403/)
    } finally {
      await stopLeftovers(c)
    }
  })

  // Once the watch must come back without its rights, every request is refused: the follower gives
  // up after 20 s of refusals and the step says why (it used to wait out its timeout, blaming resources).
  it.concurrent('3b. …and the connections then cut, so the watch must come back without the rights: the step ends before its timeout naming the 403', async () => {
    const ns = await sharedNamespace()
    const identity = await serviceAccountWithRole(ns, 'revoked-cut', readmeRole())
    await waitFor(() => mayGetRayJobs(identity.kc, ns.name), 10_000, 'the RoleBinding to take effect')
    const api = await (await (toxiproxy ??= Toxiproxy.start())).proxy('api-revoked-cut', new URL(stackInfo().apiServer).host)
    const kubeconfig = writeKubeconfig(join(ns.tmpDir, 'kubeconfig-revoked-cut-proxy'), identity.token, identity.user, api.url('https'))
    const c = await newCase('revoked-cut', 20, { env: { KUBECONFIG: kubeconfig }, inputs: { timeout: '120s' } })
    const step = start(c)
    await step.output('submission-id')
    const revokedAt = Date.now()
    await ns.kc.makeApiClient(RbacAuthorizationV1Api).deleteNamespacedRoleBinding({ name: 'revoked-cut', namespace: ns.name })
    await waitFor(async () => !(await mayGetRayJobs(identity.kc, ns.name)), 10_000, 'the revoke to take effect')
    // Every open connection (the watch among them) is closed: the action has to come back without its rights.
    await api.disable()
    await sleep(1000)
    await api.enable()
    const result = await step.done
    report(c, result, `${since(revokedAt, result.endedAt)} s after the revoke`)
    try {
      expect(result.code).toBe(1)
      expect(result.stdout).toMatch(/::error::Stopped following RayJob \S+: the API server has refused every request about the RayJob for \d+ s \(HTTP 403/)
      expect(result.stdout).toContain('grant get and watch on rayjobs again')
      expect(result.endedAt - revokedAt).toBeLessThan(60_000) // about 25 s; the timeout is 120 s
      expect((await rayJobsOf(c)).length).toBe(1)
    } finally {
      await stopLeftovers(c)
    }
  })

  it.concurrent('4. cancelled before the create (SIGINT once the lint is done, SIGTERM 7.5 s later): after the post step nothing is left, no Ray job', async () => {
    const ns = await sharedNamespace()
    const info = stackInfo()
    // Every answer of the API server takes a second: the step is still checking its permissions when the SIGINT comes.
    const api = await (await (toxiproxy ??= Toxiproxy.start())).proxy('api-cancel-early', new URL(info.apiServer).host)
    await api.toxic('slow', 'latency', { latency: 1000 }, 'downstream')
    const kubeconfig = writeKubeconfig(join(ns.tmpDir, 'kubeconfig-cancel-early'), info.adminToken, 'rayjob-stack-admin', api.url('https'))
    const c = await newCase('cancel-early', 30, { env: { KUBECONFIG: kubeconfig } })
    const step = start(c)
    // The lint's last line: the step has not talked to the cluster yet.
    await untilLog(step, /RayJob manifest\(s\) checked: 0 error\(s\)/)
    const { cancelledAt } = cancelLikeRunner(step)
    const result = await step.done
    report(c, result, `${since(cancelledAt, result.endedAt)} s after SIGINT`)
    await api.removeToxic('slow')
    const post = await runPostStep(c.workspace, c.inputs, c.env, step.files)
    report(c, post, 'post step')
    try {
      // Before the create the step has no handler of its own: the SIGINT ends it at once.
      expect(result.signal).toBe('SIGINT')
      expect(result.stdout).not.toContain('Created RayJob')
      expect(post.code).toBe(0)
      expect(post.stdout).not.toContain('::warning::')
      expect(await rayJobOf(c)).toBeUndefined()
      // Nothing in the cluster to pick the job up later: still no RayJob and no Ray job a while after.
      await sleep(5000)
      expect(await rayJobOf(c)).toBeUndefined()
      expect(await rayJobsOf(c)).toEqual([])
    } finally {
      await stopLeftovers(c)
    }
  })

  it.concurrent('5. cancelled between the create and the submission ID: on-cancel stop leaves no job running, and never two submissions', async () => {
    const ns = await sharedNamespace()
    const info = stackInfo()
    // Every answer of the API server (the Dashboard's too: through its service proxy) takes half a
    // second, so that the submission ID is still some round trips away when the SIGINT comes.
    const api = await (await (toxiproxy ??= Toxiproxy.start())).proxy('api-cancel-created', new URL(info.apiServer).host)
    await api.toxic('slow', 'latency', { latency: 500 }, 'downstream')
    const kubeconfig = writeKubeconfig(join(ns.tmpDir, 'kubeconfig-cancel-created'), info.adminToken, 'rayjob-stack-admin', api.url('https'))
    const c = await newCase('cancel-created', 600, { env: { KUBECONFIG: kubeconfig } })
    const step = start(c)
    await untilLog(step, /Created RayJob \S+\/cancel-created\./)
    const { cancelledAt } = cancelLikeRunner(step)
    const idAtCancel = readKeyValueFile(step.files.output)['submission-id']
    const result = await step.done
    const post = await runPostStep(c.workspace, c.inputs, c.env, step.files)
    // The step installs its SIGINT handler a moment after it logs the create: a SIGINT in between ends
    // it at once (as one before the create does), and then the post step applies on-cancel.
    const path = result.signal === 'SIGINT' ? 'SIGINT before the handler: the post step cleaned up' : 'the step cleaned up'
    report(c, result, `${since(cancelledAt, result.endedAt)} s after SIGINT; ${path}`)
    report(c, post, 'post step')
    try {
      expect(idAtCancel).toBeUndefined()
      if (result.signal === 'SIGINT') {
        expect(result.state['rayjob-done']).toBeUndefined()
        expect(post.stdout).toContain(`The main step ended before RayJob ${c.ns.name}/cancel-created finished (cancelled?): applying on-cancel: stop`)
        expect(post.stdout).toMatch(/Stopped Ray job \S+ of RayJob|so RayJob \S+\/cancel-created was deleted instead/)
      } else {
        expect(result.signal).toBeNull() // ended by itself, not by the runner's SIGKILL
        expect(result.code).toBe(1)
        expect(result.stdout).toContain(`The workflow was cancelled while RayJob ${c.ns.name}/cancel-created was`)
        expect(result.stdout).toMatch(/Stopped Ray job \S+ of RayJob|so RayJob \S+\/cancel-created was deleted instead/)
        expect(result.state['rayjob-done']).toBe('true')
      }
      expect(post.code).toBe(0)
      expect(post.stdout).not.toContain('::warning::')
      await expectNoJobRunning(c)
    } finally {
      await stopLeftovers(c)
    }
  })

  it.concurrent('5b. cancelled once the Dashboard is reached, while the submission ID is being confirmed: no job left running, never two submissions', async () => {
    const c = await newCase('cancel-confirming', 600)
    const step = start(c)
    await untilLog(step, /Ray Dashboard: \S+/)
    const { cancelledAt } = cancelLikeRunner(step)
    const result = await step.done
    report(c, result, `${since(cancelledAt, result.endedAt)} s after SIGINT`)
    const post = await runPostStep(c.workspace, c.inputs, c.env, step.files)
    report(c, post, 'post step')
    try {
      expect(result.signal).toBeNull()
      expect(result.code).toBe(1)
      expect(result.stdout).toContain(`The workflow was cancelled while RayJob ${c.ns.name}/cancel-confirming was`)
      // Stopped through the Dashboard, or (no job yet, or still PENDING) the RayJob deleted instead.
      expect(result.stdout).toMatch(/Stopped Ray job \S+ of RayJob|so RayJob \S+\/cancel-confirming was deleted instead/)
      expect(result.state['rayjob-done']).toBe('true')
      expect(post.code).toBe(0)
      await expectNoJobRunning(c)
    } finally {
      await stopLeftovers(c)
    }
  })

  // Last, and on its own (the concurrent cases above have all ended): it stops a shared stack component.
  it('6. etcd killed (SIGKILL) mid-wait and started again 10 s later: the watch resumes and the job passes, submitted once', async () => {
    const c = await newCase('etcd', 40)
    const step = start(c)
    await step.output('submission-id')
    await sleep(3000)
    const etcd = stackEtcd()
    const killedAt = Date.now()
    try {
      await killEtcd(etcd)
      await sleep(10_000)
    } finally {
      await startEtcd(etcd)
    }
    const downFor = since(killedAt, Date.now())
    const result = await step.done
    report(c, result, `etcd down ${downFor} s`)
    await expectOneSucceeded(c, result)
    expect((await rayJobOf(c))?.status?.jobDeploymentStatus).toBe('Complete')
    expect(seconds(c, result.endedAt)).toBeLessThan(180 + 30)
  })
})

// -------------------------------------------------------------------------------------------------
// etcd of the stack this run uses ($RAYJOB_STACK_DIR): up.sh --stop cannot stop it (a plain up.sh
// would then tear the whole stack down and start it afresh), so it is killed by the PID up.sh
// recorded and started again with the same command line, its data dir kept, and the new PID and
// start time recorded for up.sh and down.sh.

interface Etcd {
  pid: number
  argv: string[]
  clientUrl: string
}

/** Field 22 of /proc/PID/stat (the start time), as test/stack/lib.sh's proc_starttime reads it; undefined once it ended (a zombie too). */
function procStartTime(pid: number): string | undefined {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')
    return fields[0] === 'Z' ? undefined : fields[19]
  } catch {
    return undefined
  }
}

function stackEtcd(): Etcd {
  const pids = join(STACK_DIR, 'pids')
  const pid = Number(readFileSync(join(pids, 'etcd.pid'), 'utf8').trim())
  const start = existsSync(join(pids, 'etcd.start')) ? readFileSync(join(pids, 'etcd.start'), 'utf8').trim() : undefined
  if (!(pid > 1) || procStartTime(pid) === undefined || (start && procStartTime(pid) !== start)) {
    throw new Error(`etcd of the stack in ${STACK_DIR} is not running as recorded (pid ${pid})`)
  }
  const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean)
  if (!argv[0]?.endsWith('/etcd')) throw new Error(`pid ${pid} is not etcd: ${argv.join(' ')}`)
  const clientUrl = argv[argv.indexOf('--listen-client-urls') + 1]
  return { pid, argv, clientUrl }
}

async function killEtcd(etcd: Etcd): Promise<void> {
  const start = procStartTime(etcd.pid)
  process.kill(etcd.pid, 'SIGKILL')
  await waitFor(async () => procStartTime(etcd.pid) !== start, 10_000, `etcd (pid ${etcd.pid}) to end`)
}

/** Starts etcd again as up.sh did (its own session, output appended to its log) and waits for it and the API server. */
async function startEtcd(etcd: Etcd): Promise<void> {
  if (procStartTime(etcd.pid) === undefined) {
    const log = openSync(join(stackInfo().logsDir, 'etcd.log'), 'a')
    const child = spawn(etcd.argv[0], etcd.argv.slice(1), { detached: true, stdio: ['ignore', log, log] })
    closeSync(log)
    child.unref()
    const pid = child.pid!
    writeFileSync(join(STACK_DIR, 'pids', 'etcd.pid'), `${pid}\n`)
    writeFileSync(join(STACK_DIR, 'pids', 'etcd.start'), `${procStartTime(pid)}\n`)
  }
  const ok = async (url: string, dispatcher?: Agent, headers: Record<string, string> = {}): Promise<boolean> => {
    try {
      const res = await request(url, { dispatcher, headers, headersTimeout: 3000, bodyTimeout: 3000 })
      await res.body.text()
      return res.statusCode === 200
    } catch {
      return false
    }
  }
  await waitFor(() => ok(`${etcd.clientUrl}/health`), 60_000, 'etcd to answer /health again')
  const info = stackInfo()
  const agent = new Agent({ connect: { ca: readFileSync(info.caFile) } })
  try {
    await waitFor(() => ok(`${info.apiServer}/readyz`, agent, { authorization: `Bearer ${info.adminToken}` }), 60_000, 'the API server to be ready again')
  } finally {
    await agent.close()
  }
}
