// A gate that holds when the stack itself fails (issue 9, case 7): the kube-apiserver killed and
// restarted mid-wait, the KubeRay operator down for a minute mid-job, and the operator down from
// the start. These stop shared stack components (test/stack/up.sh --stop NAME) and always start
// them again (a plain up.sh starts just what is missing), so other tests see the stack whole after
// a short gap. The cases run one after another.
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals'
import { spawn } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { expectStepPassed, startAction, workspaceWith } from './action.js'
import type { ActionResult } from './action.js'
import { closeDashboardClients, createTestNamespace, dashboardRequest, findRayObject, rayJobManifest, sleep, stackInfo } from './stack.js'
import type { TestNamespace } from './stack.js'

jest.setTimeout(300_000)

const ROOT = fileURLToPath(new URL('../..', import.meta.url))

let ns: TestNamespace
beforeAll(async () => {
  ns = await createTestNamespace('faults-stack')
})
afterAll(async () => {
  await upSh() // whatever happened, the stack is whole again
  await closeDashboardClients()
  await ns?.dispose()
})

/** Runs test/stack/up.sh with these arguments; fails with its output. */
function upSh(...args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['test/stack/up.sh', ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    child.stdout.on('data', (c: Buffer) => (out += c.toString()))
    child.stderr.on('data', (c: Buffer) => (out += c.toString()))
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`up.sh ${args.join(' ')} exited ${code}:\n${out}`))))
  })
}

function manifest(name: string, marker: string, seconds: number): string {
  return rayJobManifest(name, `python -c "import time; print('${marker}', flush=True); time.sleep(${seconds})"`, '  submissionMode: HTTPMode\n')
}

function start(name: string, sleepSeconds: number, inputs: Record<string, string> = {}) {
  const marker = `${ns.name}-${name}`
  const workspace = workspaceWith({ [`${name}.yaml`]: manifest(name, marker, sleepSeconds) })
  const step = startAction(
    workspace,
    { command: 'submit', manifests: `${name}.yaml`, namespace: ns.name, 'kuberay-version': stackInfo().kuberayVersion, timeout: '3m', ...inputs },
    { KUBECONFIG: stackInfo().kubeconfig }
  )
  return { step, marker, startedAt: Date.now() }
}

async function rayJobsWith(marker: string): Promise<{ submission_id: string; status: string }[]> {
  const jobs = (await dashboardRequest('direct', 'GET', '/api/jobs/')).json<{ submission_id: string; status: string; entrypoint: string }[]>()
  return jobs.filter((j) => (j.entrypoint ?? '').includes(marker))
}


function report(name: string, startedAt: number, result: ActionResult, note = ''): void {
  // RAYJOB_FAULTS_LOG_DIR=dir keeps each step's whole log, for a look at what the action did.
  if (process.env.RAYJOB_FAULTS_LOG_DIR) writeFileSync(join(process.env.RAYJOB_FAULTS_LOG_DIR, `${name}.log`), result.stdout)
  const error = /::error::([^\n]*)/.exec(result.stdout)?.[1]?.replace(/%0A/g, ' ').slice(0, 300)
  process.stderr.write(`[faults-shared] ${name}: exit ${result.code} after ${Math.round((result.endedAt - startedAt) / 1000)} s${note ? ` (${note})` : ''}${error ? `: ${error}` : ''}\n`)
}

async function expectOneSucceeded(name: string, marker: string, result: ActionResult): Promise<void> {
  expectStepPassed(result)
  expect(result.outputs['job-status']).toBe('SUCCEEDED')
  expect((await rayJobsWith(marker)).map((j) => [j.submission_id, j.status])).toEqual([[result.outputs['submission-id'], 'SUCCEEDED']])
  expect(await exists(name)).toBe(true)
}

describe('the stack fails under the gate', () => {
  it('7a. kube-apiserver killed (SIGKILL) mid-wait and started again 15 s later: the watch resumes (after 410 Gone if its version is gone) and the job passes', async () => {
    const { step, marker, startedAt } = start('apiserver', 45)
    await step.output('submission-id')
    await sleep(3000)
    const stoppedAt = Date.now()
    try {
      await upSh('--kill', 'kube-apiserver')
      await sleep(15_000)
    } finally {
      await upSh()
    }
    const downFor = Math.round((Date.now() - stoppedAt) / 1000)
    const result = await step.done
    report('apiserver', startedAt, result, `API server down ${downFor} s`)
    await expectOneSucceeded('apiserver', marker, result)
    expect(result.stdout).toMatch(/::debug::the RayJob watch closed/)
    // The restarted server's watch cache starts after the RayJob's own resourceVersion: one 410 at most
    // (the watch then starts from the present), not a 410 a second for the rest of the wait.
    expect((result.stdout.match(/the RayJob watch ended with an error event: 410/g) ?? []).length).toBeLessThanOrEqual(2)
    expect(result.endedAt - startedAt).toBeLessThan(180_000 + 30_000)
  })

  it('7b/7c. the KubeRay operator down for 60 s: a running job still passes (on Ray\'s word, then KubeRay\'s); a job submitted meanwhile times out saying KubeRay never picked it up, and is deleted', async () => {
    // Right after 7a's restart the API server's service proxy may still answer 404 for a head Service
    // KubeRay just created (a product race reported to the lead: the confirmation takes that 404 as final).
    await sleep(10_000)
    const running = start('opdown', 20)
    await running.step.output('submission-id')
    let fresh: ReturnType<typeof start>
    const stoppedAt = Date.now()
    try {
      await upSh('--stop', 'ray-operator')
      fresh = start('noop', 5, { timeout: '40s' })
      const freshResult = await fresh.step.done
      report('noop', fresh.startedAt, freshResult, 'operator down from the start')
      expect(freshResult.code).toBe(1)
      expect(freshResult.stdout).toMatch(/::error::Timed out after 40s: RayJob \S+\/noop was New for \d+s: KubeRay never picked the RayJob up: is the KubeRay operator running/)
      expect(freshResult.endedAt - fresh.startedAt).toBeLessThan(40_000 + 20_000)
      expect(freshResult.stdout).toMatch(/Ray had no job \S+ to stop yet, so RayJob \S+\/noop was deleted instead/)
      expect(await exists('noop')).toBe(false)
      await sleep(Math.max(0, 60_000 - (Date.now() - stoppedAt)))
    } finally {
      await upSh()
    }
    const result = await running.step.done
    report('opdown', running.startedAt, result, `operator down ${Math.round((Date.now() - stoppedAt) / 1000)} s`)
    expectStepPassed(result)
    expect(result.outputs['job-status']).toBe('SUCCEEDED')
    expect(result.stdout).toMatch(/the Ray job SUCCEEDED( \(KubeRay still shows Running \d+ s after Ray's end\))?/)
    expect((await rayJobsWith(running.marker)).map((j) => j.status)).toEqual(['SUCCEEDED'])
    expect(await rayJobsWith(fresh!.marker)).toEqual([])
  })
})

const exists = async (name: string): Promise<boolean> => (await findRayObject(ns.kc, 'rayjobs', ns.name, name)) !== undefined
