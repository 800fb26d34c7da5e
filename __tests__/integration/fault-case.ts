// One case of the fault tests (faults.test.ts, faults-more.test.ts): a sleeper RayJob in its own
// workspace, the step that submits it, and what every case checks at the end: Ray's own job list
// (GET /api/jobs/ on the head, not through any proxy) as the witness that nothing was submitted
// twice, and nothing of the run left running.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { expect } from '@jest/globals'
import { expectStepPassed, startAction, workspaceWith } from './action.js'
import type { ActionResult, RunningAction } from './action.js'
import { dashboardRequest, findRayObject, sleeperManifest, stackInfo, waitFor } from './stack.js'
import type { TestNamespace } from './stack.js'

export interface FaultCase {
  ns: TestNamespace
  name: string
  /** In the driver's entrypoint: finds this case's jobs in Ray's list. */
  marker: string
  workspace: string
  inputs: Record<string, string>
  env: Record<string, string>
  startedAt: number
}

export const RAY_TERMINAL = ['STOPPED', 'SUCCEEDED', 'FAILED']

/** A case whose driver sleeps `seconds` (submit, 3m timeout, the admin kubeconfig unless `env` says otherwise). */
export function sleeperCase(ns: TestNamespace, name: string, seconds: number, inputs: Record<string, string> = {}, env: Record<string, string> = {}): FaultCase {
  const info = stackInfo()
  const marker = `${ns.name}-${name}`
  return {
    ns,
    name,
    marker,
    workspace: workspaceWith({ [`${name}.yaml`]: sleeperManifest(name, marker, seconds) }),
    inputs: { command: 'submit', manifests: `${name}.yaml`, namespace: ns.name, 'kuberay-version': info.kuberayVersion, timeout: '3m', ...inputs },
    env: { KUBECONFIG: info.kubeconfig, ...env },
    startedAt: Date.now()
  }
}

export function startCase(c: FaultCase): RunningAction {
  c.startedAt = Date.now()
  return startAction(c.workspace, c.inputs, c.env)
}

/** Seconds since the case's step started. */
export const secondsOf = (c: FaultCase, at = Date.now()): number => Math.round((at - c.startedAt) / 1000)

/** For the report on stderr: how long the case took and how it ended (`tag`: the test file). */
export function reportCase(tag: string, c: FaultCase, result: ActionResult, note = ''): void {
  // RAYJOB_FAULTS_LOG_DIR=dir keeps each step's whole log, for a look at what the action did.
  if (process.env.RAYJOB_FAULTS_LOG_DIR) writeFileSync(join(process.env.RAYJOB_FAULTS_LOG_DIR, `${c.name}${note.includes('post') ? '-post' : ''}.log`), result.stdout)
  const error = /::error::([^\n]*)/.exec(result.stdout)?.[1]?.replace(/%0A/g, ' ').slice(0, 300)
  const ended = result.signal ? `signal ${result.signal}` : `exit ${result.code}`
  process.stderr.write(`[${tag}] ${c.name}: ${ended} after ${secondsOf(c, result.endedAt)} s${note ? ` (${note})` : ''}${error ? `: ${error}` : ''}\n`)
}

/** Ray's own job list on the head: the jobs this case's driver ran. */
export async function rayJobsOf(c: FaultCase): Promise<{ submission_id: string; status: string; entrypoint: string }[]> {
  const jobs = (await dashboardRequest('direct', 'GET', '/api/jobs/')).json<{ submission_id: string; status: string; entrypoint: string }[]>()
  // The marker with its quote and " start": "x-headlost" must not match "x-headlost-cleanup".
  return jobs.filter((j) => (j.entrypoint ?? '').includes(`'${c.marker} start'`))
}

export const rayJobOf = (c: FaultCase) => findRayObject(c.ns.kc, 'rayjobs', c.ns.name, c.name)

/** One submission in Ray's list, and it SUCCEEDED; the RayJob is Complete. */
export async function expectOneSucceeded(c: FaultCase, result: ActionResult): Promise<void> {
  expectStepPassed(result)
  expect(result.outputs).toMatchObject({ 'rayjob-name': c.name, 'job-status': 'SUCCEEDED', 'deployment-status': 'Complete' })
  const jobs = await rayJobsOf(c)
  expect(jobs.map((j) => [j.submission_id, j.status])).toEqual([[result.outputs['submission-id'], 'SUCCEEDED']])
  expect((await rayJobOf(c))?.status?.jobDeploymentStatus).toBe('Complete')
}

/** At most one submission, none left running, and the RayJob gone (KubeRay stopped the job when it was deleted). */
export async function expectNothingLeftRunning(c: FaultCase): Promise<void> {
  await waitFor(async () => (await rayJobOf(c)) === undefined, 90_000, `RayJob ${c.name} to be gone`)
  await waitFor(async () => (await rayJobsOf(c)).every((j) => RAY_TERMINAL.includes(j.status)), 60_000, `the Ray jobs of ${c.name} to end`)
  expect((await rayJobsOf(c)).length).toBeLessThanOrEqual(1)
}

/** Stops the Ray jobs a case left running on purpose or by a failed assertion (through the head directly). */
export async function stopRayJobsOf(c: FaultCase): Promise<void> {
  for (const j of await rayJobsOf(c)) {
    if (!RAY_TERMINAL.includes(j.status)) await dashboardRequest('direct', 'POST', `/api/jobs/${j.submission_id}/stop`)
  }
}
