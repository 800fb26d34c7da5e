// A gate that holds under faults (issue 9): the bundled action against the real stack, with a real
// fault-injecting TCP proxy (Toxiproxy, see toxiproxy.ts) between it and the API server, and another
// in front of the Ray Dashboard where a case uses dashboard-url. Each case has its own proxies, so
// the cases run side by side; none touches a shared stack component.
//
// Every case ends with: the right verdict (the step passes only if Ray's job SUCCEEDED), within
// the timeout plus a stated grace, a message naming the cause, no duplicate submission (Ray's own
// job list, GET /api/jobs/ on the head, is the witness), and no RayJob of the run left running.
import { afterAll, describe, expect, it, jest } from '@jest/globals'
import { join } from 'node:path'
import { runPostStep } from './action.js'
import type { ActionResult } from './action.js'
import { expectNothingLeftRunning, expectOneSucceeded, rayJobOf, rayJobsOf, reportCase, secondsOf, sleeperCase, startCase, stopRayJobsOf } from './fault-case.js'
import type { FaultCase } from './fault-case.js'
import { closeDashboardClients, createTestNamespace, findRayObject, sleep, stackInfo, waitFor, writeKubeconfig } from './stack.js'
import type { TestNamespace } from './stack.js'
import { HttpInterposer, Toxiproxy } from './toxiproxy.js'
import type { HttpFault, Proxy } from './toxiproxy.js'

jest.setTimeout(420_000)

// Set up once, on first use: concurrent tests may start before a beforeAll has finished.
let setup: Promise<{ ns: TestNamespace; toxi: Toxiproxy }> | undefined
const env = () => (setup ??= (async () => ({ ns: await createTestNamespace('faults'), toxi: await Toxiproxy.start() }))())

afterAll(async () => {
  if (!setup) return
  const { ns, toxi } = await setup
  await toxi.stop()
  await closeDashboardClients()
  await ns.dispose()
})

interface Case extends FaultCase {
  /** The proxy in front of the API server, which the kubeconfig points at. */
  api: Proxy
  /** The proxy in front of the Ray head's Dashboard (dashboard-url), when the case asked for one. */
  dash?: Proxy
}

/** A case: its RayJob manifest, a proxy to the API server (the action's kubeconfig), and optionally one to the Dashboard. */
async function newCase(name: string, seconds: number, options: { dashboard?: boolean; inputs?: Record<string, string> } = {}): Promise<Case> {
  const { ns, toxi } = await env()
  const info = stackInfo()
  const api = await toxi.proxy(`api-${name}`, new URL(info.apiServer).host)
  const dash = options.dashboard ? await toxi.proxy(`dash-${name}`, new URL(info.dashboardUrl).host) : undefined
  const kubeconfig = writeKubeconfig(join(ns.tmpDir, `kubeconfig-${name}`), info.adminToken, 'rayjob-stack-admin', api.url('https'))
  const inputs = { ...(dash ? { 'dashboard-url': dash.url('http') } : {}), ...options.inputs }
  return { ...sleeperCase(ns, name, seconds, inputs, { KUBECONFIG: kubeconfig }), api, dash }
}

async function untilKubeRaySeesRunning(c: Case): Promise<void> {
  await waitFor(async () => (await findRayObject(c.ns.kc, 'rayjobs', c.ns.name, c.name))?.status?.jobStatus === 'RUNNING', 60_000, `KubeRay to report RayJob ${c.name} RUNNING`)
}

const start = startCase
const seconds = secondsOf
const report = (c: Case, result: ActionResult, note = '') => reportCase('faults', c, result, note)
const stopLeftovers = stopRayJobsOf

// -------------------------------------------------------------------------------------------------

describe('faults between the action and the API server', () => {
  it.concurrent('1. connections reset mid-watch (reset_peer, then the proxy closed and reopened): the job still passes, submitted once', async () => {
    const c = await newCase('reset', 45)
    const step = start(c)
    await step.output('submission-id')
    await sleep(5000)
    // Every connection the action has to the API server (the watch among them) is reset, and new ones too, for 3 s.
    await c.api.toxic('reset', 'reset_peer', { timeout: 0 })
    await sleep(3000)
    await c.api.removeToxic('reset')
    await sleep(5000)
    await c.api.disable() // closes every connection; refused meanwhile
    await sleep(2000)
    await c.api.enable()
    const result = await step.done
    report(c, result)
    await expectOneSucceeded(c, result)
    expect(result.stdout).toMatch(/::debug::the RayJob watch closed/)
    expect(seconds(c, result.endedAt)).toBeLessThan(180 + 30)
  })

  it.concurrent('2. the API server out of reach for 30 s mid-wait (watch and service proxy both cut): the job still passes', async () => {
    const c = await newCase('outage', 50)
    const step = start(c)
    await step.output('submission-id')
    await sleep(3000)
    await c.api.disable()
    await sleep(30_000)
    await c.api.enable()
    const result = await step.done
    report(c, result)
    await expectOneSucceeded(c, result)
    expect(result.stdout).toMatch(/::debug::the RayJob watch closed: .*ECONNREFUSED|::debug::reading Ray's job status failed: .*ECONNREFUSED/)
    expect(seconds(c, result.endedAt)).toBeLessThan(180 + 30)
  })

  it.concurrent("3. the create's answer lost after the API server stored the RayJob (defect 13): the step finds it and follows it, no second submission", async () => {
    const c = await newCase('lostcreate', 15)
    // Every answer takes 4 s: time to see the create stored (read past the proxy) before its answer reaches the action.
    await c.api.toxic('slow', 'latency', { latency: 4000 }, 'downstream')
    const step = start(c)
    await waitFor(async () => (await rayJobOf(c)) !== undefined, 120_000, `RayJob ${c.name} to be created`)
    // The answer is still inside the latency toxic: closing every connection drops it.
    await c.api.disable()
    await c.api.removeToxic('slow')
    await sleep(2000)
    await c.api.enable()
    const result = await step.done
    report(c, result)
    try {
      await expectOneSucceeded(c, result)
      expect(result.stdout).toMatch(/The create's answer was lost \(.*\); reading RayJob \S+ back found the one this step sent/)
      // The step knows the RayJob it created: its UID is saved for the post step.
      expect(JSON.parse(result.state.rayjob ?? '{}').uid).toBe((await rayJobOf(c))?.metadata.uid)
    } finally {
      await stopLeftovers(c)
    }
  })
})

describe('faults between the action and the Ray Dashboard (dashboard-url through a proxy)', () => {
  it.concurrent('4. the Ray head gone (its Dashboard refuses connections) while KubeRay still says Running: the step fails within ~a minute, naming the head', async () => {
    const c = await newCase('headlost', 600, { dashboard: true })
    const step = start(c)
    await step.output('submission-id')
    await untilKubeRaySeesRunning(c)
    await c.dash!.disable()
    const cutAt = Date.now()
    const result = await step.done
    report(c, result, `${Math.round((result.endedAt - cutAt) / 1000)} s after the Dashboard went away`)
    try {
      expect(result.code).toBe(1)
      expect(result.stdout).toMatch(/::error::RayJob \S+\/headlost: the Ray head is gone or cannot be reached: the Ray Dashboard \(http:\/\/127\.0\.0\.1:\d+, dashboard-url\) has not answered for 1m( \d+s)? \(\d+ tries in a row; last: ECONNREFUSED/)
      expect(result.stdout).toContain('while KubeRay still shows Running (Ray: RUNNING)')
      // Named about a minute after the Dashboard went away, not at the 3-minute timeout.
      expect(result.endedAt - cutAt).toBeLessThan(90_000)
      expect((await rayJobsOf(c)).length).toBe(1)
    } finally {
      await c.dash!.enable()
      await stopLeftovers(c)
    }
  })

  it.concurrent('4b. …and gives the job up like a timeout: on-timeout stop cannot reach the Dashboard, so the RayJob is deleted', async () => {
    const c = await newCase('headlost-cleanup', 600, { dashboard: true })
    const step = start(c)
    await step.output('submission-id')
    await untilKubeRaySeesRunning(c)
    await c.dash!.disable()
    const result = await step.done
    report(c, result)
    try {
      expect(result.code).toBe(1)
      expect(result.stdout).toContain('the Ray head is gone or cannot be reached')
      // Not the PENDING read at confirmation: KubeRay has seen it RUNNING since (final-status.ts must prefer the later state).
      expect(result.outputs['job-status']).toBe('RUNNING')
      expect(result.stdout).toMatch(/Could not stop Ray job \S+ through the Dashboard \(.*\), so RayJob \S+ was deleted instead/)
      await expectNothingLeftRunning(c)
    } finally {
      await c.dash!.enable()
      await stopLeftovers(c)
    }
  })

  it.concurrent('4c. on-timeout: stop with the Dashboard unreachable deletes the RayJob instead, and the timeout blames no resources', async () => {
    const c = await newCase('stopfallback', 600, { dashboard: true, inputs: { timeout: '45s' } })
    const step = start(c)
    await step.output('submission-id')
    await sleep(2000)
    await c.dash!.disable()
    const result = await step.done
    report(c, result)
    try {
      expect(result.code).toBe(1)
      expect(result.stdout).toMatch(/::error::Timed out after 45s: RayJob \S+\/stopfallback was Running \(Ray: RUNNING\)/)
      expect(result.stdout).not.toContain('waits for resources')
      expect(result.stdout).toMatch(/Could not stop Ray job \S+ through the Dashboard \(.*ECONNREFUSED.*\), so RayJob \S+\/stopfallback was deleted instead/)
      expect(seconds(c, result.endedAt)).toBeLessThan(45 + 30)
      await expectNothingLeftRunning(c)
    } finally {
      await c.dash!.enable()
      await stopLeftovers(c)
    }
  })

  it.concurrent('5a. the Dashboard stalls for 30 s mid-job (latency toxic), then answers again: the job passes', async () => {
    const c = await newCase('stall', 40, { dashboard: true })
    const step = start(c)
    await step.output('submission-id')
    await sleep(3000)
    await c.dash!.toxic('stall', 'latency', { latency: 30_000 }, 'downstream')
    await sleep(30_000)
    await c.dash!.removeToxic('stall')
    const result = await step.done
    report(c, result)
    await expectOneSucceeded(c, result)
    expect(result.stdout).toContain(`${c.marker} done`)
  })

  it.concurrent('5b. every Dashboard answer cut short (limit_data) or sliced into bits (slicer): the verdict stands on KubeRay and the step passes', async () => {
    const c = await newCase('cut', 20, { dashboard: true })
    // Tiny pieces with a pause between each, from the first request on: parsing must not depend on how bytes arrive.
    await c.dash!.toxic('slices', 'slicer', { average_size: 16, size_variation: 8, delay: 200 }, 'downstream')
    const step = start(c)
    await step.output('submission-id')
    await c.dash!.removeToxic('slices')
    // From now on every connection is closed after 200 bytes: no answer gets through whole.
    await c.dash!.toxic('cut', 'limit_data', { bytes: 200 }, 'downstream')
    const result = await step.done
    report(c, result)
    await expectOneSucceeded(c, result)
  })
})

// Toxiproxy works on bytes; answers it cannot give (a 5xx, a body that is not JSON) come from a small
// HTTP interposer (toxiproxy.ts) in front of the Dashboard, which passes everything else through.
const jobReads = (method: string, path: string) => method === 'GET' && path.startsWith('/api/jobs/') && !path.endsWith('/logs')
const FAULTS: Record<string, HttpFault> = {
  '5xx': { match: jobReads, status: 500, body: 'Traceback (most recent call last):\nRuntimeError: GCS unavailable' },
  garbage: { match: jobReads, status: 200, body: '<html><body>Service temporarily unavailable</body></html>', contentType: 'text/html' }
}

async function withInterposer(c: Case, work: (http: HttpInterposer) => Promise<void>): Promise<void> {
  const http = await HttpInterposer.start(new URL(stackInfo().dashboardUrl).host)
  c.inputs['dashboard-url'] = http.url
  try {
    await work(http)
  } finally {
    await http.close()
  }
}

describe('wrong answers from the Ray Dashboard (an HTTP interposer, dashboard-url)', () => {
  it.concurrent.each(Object.keys(FAULTS))('5c. every read of the job answered with %s from mid-job to the end: the verdict stands on KubeRay and the step passes', async (kind) => {
    const c = await newCase(`wrong-${kind === '5xx' ? 'status' : kind}`, 20)
    await withInterposer(c, async (http) => {
      const step = start(c)
      await step.output('submission-id')
      http.fault = FAULTS[kind]
      const result = await step.done
      report(c, result, `${http.hits} wrong answers`)
      expect(http.hits).toBeGreaterThan(0)
      await expectOneSucceeded(c, result)
    })
  })

  // A 500 while the submission ID is confirmed is tried again like a 503 (it used to fail the step
  // and leave the RayJob running).
  it.concurrent('5d. the Dashboard answers 500 for the first 20 s of the job (while the submission ID is confirmed): the step waits it out and passes', async () => {
    const c = await newCase('confirm-5xx', 30)
    await withInterposer(c, async (http) => {
      http.fault = FAULTS['5xx']
      const step = start(c)
      await waitFor(async () => (await rayJobsOf(c)).length > 0, 120_000, `Ray to list the job of ${c.name}`)
      await sleep(20_000)
      http.fault = undefined
      const result = await step.done
      report(c, result, `${http.hits} wrong answers`)
      try {
        expect(http.hits).toBeGreaterThan(0)
        await expectOneSucceeded(c, result)
      } finally {
        await stopLeftovers(c)
      }
    })
  })
})

describe('cancellation under faults', () => {
  it.concurrent("6a. SIGINT, then SIGTERM 7.5 s later as the runner sends them, with the Dashboard unreachable: the step deletes the RayJob before the runner's SIGKILL", async () => {
    const c = await newCase('cancel', 600, { dashboard: true, inputs: { 'on-cancel': 'stop' } })
    const step = start(c)
    await step.output('submission-id')
    await sleep(3000)
    await c.dash!.disable()
    await sleep(2000)
    const cancelledAt = Date.now()
    step.child.kill('SIGINT')
    const term = setTimeout(() => step.child.kill('SIGTERM'), 7500)
    const kill = setTimeout(() => step.child.kill('SIGKILL'), 10_000)
    const result = await step.done
    clearTimeout(term)
    clearTimeout(kill)
    report(c, result, `${Math.round((result.endedAt - cancelledAt) / 1000)} s after SIGINT`)
    try {
      expect(result.signal).toBeNull() // ended by itself, not by the runner's SIGKILL
      expect(result.code).toBe(1)
      expect(result.stdout).toContain(`The workflow was cancelled while RayJob ${c.ns.name}/cancel was Running`)
      expect(result.stdout).toMatch(/Could not stop Ray job \S+ through the Dashboard \(.*\), so RayJob \S+\/cancel was deleted instead/)
      expect(result.state['rayjob-done']).toBe('true')
      await expectNothingLeftRunning(c)
    } finally {
      await c.dash!.enable()
      await stopLeftovers(c)
    }
  })

  it.concurrent('6b. the main step killed (SIGKILL) mid-wait, the Dashboard unreachable: the post step applies on-cancel: stop by deleting the RayJob', async () => {
    const c = await newCase('killed', 600, { dashboard: true })
    const main = start(c)
    await main.output('submission-id')
    await sleep(2000)
    main.child.kill('SIGKILL')
    await main.done
    await c.dash!.disable()
    const post = await runPostStep(c.workspace, c.inputs, c.env, main.files)
    report(c, post, 'post step')
    try {
      expect(post.code).toBe(0)
      expect(post.stdout).toContain('applying on-cancel: stop')
      expect(post.stdout).toMatch(/Could not stop Ray job \S+ through the Dashboard \(.*ECONNREFUSED.*\), so RayJob \S+\/killed was deleted instead/)
      await expectNothingLeftRunning(c)
    } finally {
      await c.dash!.enable()
      await stopLeftovers(c)
    }
  })
})

