// submit and gate against the real stack: kube-apiserver + etcd, the real KubeRay operator and a real
// Ray head (test/stack). The action runs as the runner runs it: `node dist/index.js` with INPUT_*.
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals'
import { readFileSync, writeFileSync } from 'node:fs'
import { expectStepPassed, runAction, runPostStep, startAction, stepFiles, workspaceWith } from './action.js'
import type { ActionResult } from './action.js'
import { closeDashboardClients, createRayObject, createTestNamespace, dashboardRequest, findRayObject, getRayObject, rayJobManifest, stackInfo, waitFor, waitForRayObject } from './stack.js'
import type { TestNamespace } from './stack.js'

jest.setTimeout(300_000)

let ns: TestNamespace
beforeAll(async () => {
  ns = await createTestNamespace('submit')
})
afterAll(async () => {
  await closeDashboardClients()
  await ns?.dispose()
})

const manifest = rayJobManifest

const OK = `python -c "print('ok from the driver')"`
const FAIL = `python -c "import sys; print('about to fail'); sys.exit(1)"`

/** Runs the action's submit on one manifest with the stack's admin kubeconfig. */
function submit(file: string, content: string, inputs: Record<string, string> = {}, env: Record<string, string> = {}): Promise<ActionResult> {
  const workspace = workspaceWith({ [file]: content })
  return runAction(workspace, { command: 'submit', manifests: file, namespace: ns.name, 'kuberay-version': stackInfo().kuberayVersion, timeout: '3m', ...inputs }, { KUBECONFIG: stackInfo().kubeconfig, ...env })
}

async function rayJobStatus(name: string) {
  return (await getRayObject(ns.kc, 'rayjobs', ns.name, name)).status ?? {}
}

/** What the real Dashboard says of a submission, read directly (not through the action). */
async function rayJob(submissionId: string): Promise<{ status: string; type: string; submission_id: string }> {
  return (await dashboardRequest('direct', 'GET', `/api/jobs/${submissionId}`)).json()
}

/** The step passed with KubeRay's final word in its outputs: Complete, and Ray's SUCCEEDED. */
async function expectPassed(result: ActionResult, name: string, cluster = new RegExp(`^${name}-[a-z0-9]{5}$`)): Promise<void> {
  expectStepPassed(result)
  expect(result.outputs).toMatchObject({ 'rayjob-name': name, namespace: ns.name, 'job-status': 'SUCCEEDED', 'deployment-status': 'Complete' })
  expect(result.outputs['submission-id']).toMatch(/^raysubmit_/)
  expect(result.outputs['ray-cluster-name']).toMatch(cluster)
  expect(Number(result.outputs['duration-seconds'])).toBeGreaterThan(0)
}

describe.each(['K8sJobMode', 'HTTPMode', 'InteractiveMode', 'SidecarMode'])('%s', (mode) => {
  const name = `ok-${mode.toLowerCase().replace('mode', '')}`

  it('submits, confirms the submission ID with Ray, streams the driver log and passes on SUCCEEDED', async () => {
    const extra = `  submissionMode: ${mode}\n${mode === 'InteractiveMode' ? '  preRunningDeadlineSeconds: 120\n' : ''}`
    const result = await submit(`${name}.yaml`, manifest(name, OK, extra))
    await expectPassed(result, name)
    const id = result.outputs['submission-id']
    // The ID is the one the RayJob carries and the one Ray lists as a SUBMISSION.
    expect((await getRayObject(ns.kc, 'rayjobs', ns.name, name)).spec.jobId).toBe(id)
    expect(await rayJob(id)).toMatchObject({ submission_id: id, type: 'SUBMISSION', status: 'SUCCEEDED' })
    // The driver's own output is in the step log, inside the log group, where the runner reads no commands.
    expect(result.stdout).toMatch(new RegExp(`::group::Driver log of Ray job ${id}\\n::stop-commands::(\\S+)\\n[\\s\\S]*ok from the driver[\\s\\S]*::endgroup::`))
    // State changes stay outside the group, where a reader sees them. (A quick job may go to
    // Complete from Running or, in InteractiveMode, straight from Waiting between two reads.)
    const complete = result.stdout.search(/\] RayJob \S+: \w+(?: \(Ray: \w+\))? → Complete \(Ray: SUCCEEDED\)/)
    // On a failure, the state changes the step did log.
    expect(complete > 0 ? 'logged' : result.stdout.split('\n').filter((line) => line.includes(' → '))).toBe('logged')
    const before = result.stdout.slice(0, complete)
    expect(before.split('::group::').length).toBe(before.split('::endgroup::').length)
    expect(result.outputs['dashboard-url']).toContain(`/api/v1/namespaces/${ns.name}/services/${result.outputs['ray-cluster-name']}-head-svc`)
    expect(result.summary).toContain(`RayJob \`${ns.name}/${name}\` ✅ succeeded`)
    expect(result.summary).toContain(`| Submission ID | \`${id}\` |`)
    expect(result.summary).toContain(`ray job logs ${id}`)
  })
})

// Issue 9, defect 2: with shutdownAfterJobFinishes the cluster is being deleted when the step reads
// Ray's final status (404/503); job-status must then be KubeRay's copy, not what Ray said at confirmation.
describe.each(['K8sJobMode', 'HTTPMode', 'InteractiveMode', 'SidecarMode'])('%s with shutdownAfterJobFinishes: true', (mode) => {
  const short = mode.toLowerCase().replace('mode', '')
  const extra = `  submissionMode: ${mode}\n  shutdownAfterJobFinishes: true\n${mode === 'InteractiveMode' ? '  preRunningDeadlineSeconds: 120\n' : ''}`

  it('passes with job-status SUCCEEDED', async () => {
    const name = `shut-ok-${short}`
    const result = await submit(`${name}.yaml`, manifest(name, OK, extra))
    await expectPassed(result, name)
    expect(result.summary).toContain('SUCCEEDED')
  })

  it('fails with job-status FAILED when the entrypoint exits 3', async () => {
    const name = `shut-fail-${short}`
    const result = await submit(`${name}.yaml`, manifest(name, `python -c "import sys; sys.exit(3)"`, extra))
    expect(result.code).toBe(1)
    expect(result.outputs).toMatchObject({ 'job-status': 'FAILED', 'deployment-status': 'Failed' })
    expect(result.outputs.reason).toMatch(/^(AppFailed|SubmissionFailed)$/)
  })
})

describe('clusterSelector', () => {
  it('runs the job on an existing RayCluster', async () => {
    const cluster = 'shared-cluster'
    await createRayObject(ns.kc, 'rayclusters', ns.name, {
      apiVersion: 'ray.io/v1',
      kind: 'RayCluster',
      metadata: { name: cluster },
      spec: { rayVersion: '2.58.0', headGroupSpec: { rayStartParams: {}, template: { spec: { containers: [{ name: 'ray-head', image: 'rayproject/ray:2.58.0' }] } } } }
    })
    await waitForRayObject(ns.kc, 'rayclusters', ns.name, cluster, 'become ready', (c) => (c.status as { state?: string } | undefined)?.state === 'ready', 120_000)
    const content = `apiVersion: ray.io/v1
kind: RayJob
metadata:
  name: on-shared
spec:
  entrypoint: ${JSON.stringify(OK)}
  clusterSelector:
    ray.io/cluster: ${cluster}
`
    const result = await submit('on-shared.yaml', content)
    await expectPassed(result, 'on-shared', new RegExp(`^${cluster}$`))
    expect(result.outputs['dashboard-url']).toContain(`/services/${cluster}-head-svc`)
  })
})

describe('a failing job', () => {
  it("fails the step with KubeRay's outcome, reason and the last driver log lines", async () => {
    const result = await submit('fails.yaml', manifest('fails', FAIL, '  submissionMode: HTTPMode\n'))
    expect(result.code).toBe(1)
    expect(result.outputs).toMatchObject({ 'job-status': 'FAILED', 'deployment-status': 'Failed', reason: 'AppFailed' })
    expect(result.outputs.message).toMatch(/^Job entrypoint command failed with exit code 1/)
    expect(result.stdout).toMatch(/::error::RayJob .*\/fails failed \(AppFailed\): Job entrypoint command failed with exit code 1/)
    expect(result.stdout).toMatch(/Last lines of the driver log:%0A[\s\S]*about to fail/)
    expect(result.summary).toContain('❌ failed')
    expect(result.summary).toContain('about to fail')
  })

  it('takes nothing the driver prints as a workflow command', async () => {
    const hostile = `python -c "print('::error::not from the action'); print('::add-mask::ok'); print('::notice::still the driver')"`
    const result = await submit('hostile.yaml', manifest('hostile', hostile, '  submissionMode: HTTPMode\n'))
    expectStepPassed(result)
    const block = /::stop-commands::(\S+)\n([\s\S]*?)\n::\1::/.exec(result.stdout)
    expect(block?.[2]).toContain('::error::not from the action')
    expect(block?.[2]).toContain('::add-mask::ok')
    // Outside that block the line never appears: the runner would have read it as a command.
    expect(result.stdout.replace(block![0], '')).not.toContain('not from the action')
  })

  it('waits while KubeRay retries on a new RayCluster (backoffLimit), and fails only when no attempt is left', async () => {
    const result = await submit('retried.yaml', manifest('retried', FAIL, '  submissionMode: HTTPMode\n  backoffLimit: 1\n'), { timeout: '4m' })
    expect(result.code).toBe(1)
    expect(result.stdout).toContain('KubeRay is retrying the job on a new RayCluster (attempt 2 of 2)')
    expect(result.stdout).toMatch(/\] RayJob \S+: .* → Retrying/)
    expect(result.outputs).toMatchObject({ 'deployment-status': 'Failed', 'job-status': 'FAILED' })
    expect(result.stdout).toMatch(/::error::RayJob .*\/retried failed \(AppFailed\), after 2 attempts/)
    // The Dashboard of the second attempt's cluster, not the first one's, which KubeRay deleted.
    const clusters = [...result.stdout.matchAll(/Ray Dashboard: \S+\/services\/(retried-[a-z0-9]{5})-head-svc/g)].map((m) => m[1])
    expect(new Set(clusters).size).toBe(2)
    expect(result.outputs['ray-cluster-name']).toBe(clusters[1])
    expect((await rayJobStatus('retried')).failed).toBe(2)
  })
})

describe('KubeRay ValidationFailed', () => {
  it("stops waiting at once and shows KubeRay's message", async () => {
    // The lint would refuse this before submitting; the comment silences it so KubeRay itself judges.
    const content = manifest('invalid', OK, '  submissionMode: InteractiveMode\n  backoffLimit: 2\n').replace('apiVersion', '# rayjob-lint-disable interactive-with-backoff-limit\napiVersion')
    const started = Date.now()
    const result = await submit('invalid.yaml', content)
    expect(result.code).toBe(1)
    expect(result.outputs).toMatchObject({ 'deployment-status': 'ValidationFailed', reason: 'ValidationFailed' })
    expect(result.stdout).toContain('KubeRay rejected RayJob')
    expect(result.stdout).toContain('BackoffLimit is incompatible with InteractiveMode')
    expect(Date.now() - started).toBeLessThan(60_000)
  })
})

describe('the lint comes first', () => {
  it('does not submit a manifest with lint errors', async () => {
    const result = await submit('typo.yaml', manifest('typo', OK, '  backofLimit: 1\n'))
    expect(result.code).toBe(1)
    expect(result.stdout).toMatch(/::error title=schema-unknown-field.*,file=typo\.yaml,line=7,col=3::.*did you mean "backoffLimit"/)
    expect(result.stdout).toContain('not submitting: the lint failed')
    expect(await exists('typo')).toBe(false)
  })
})

describe('the cluster judges too', () => {
  // tlsOptions is a KubeRay 1.7 field, behind the RayClusterMTLS gate, which the lint is told is on.
  const tls = () => manifest('strict', OK, '  submissionMode: HTTPMode\n').replace('    rayVersion: "2.58.0"\n', '    rayVersion: "2.58.0"\n    tlsOptions:\n      enabled: false\n')
  const olderStack = stackInfo().kuberayVersion.localeCompare('1.7.0', undefined, { numeric: true }) < 0

  ;(olderStack ? it : it.skip)("(stack before 1.7.0) stops before creating anything when the cluster's older CRD lacks a field the lint's newer KubeRay has", async () => {
    // Strict field validation refuses it in the dry run, where the API server would otherwise drop it silently.
    const result = await submit('strict.yaml', tls(), { 'kuberay-version': '1.7.0', 'feature-gates': 'RayClusterMTLS=true' })
    expect(result.code).toBe(1)
    expect(result.stdout).toMatch(/::error::POST \/apis\/ray\.io\/v1\/namespaces\/\S+\/rayjobs failed: HTTP 400 BadRequest: .*unknown field "spec\.rayClusterSpec\.tlsOptions"/)
    expect(result.stdout).toContain('the cluster runs an older KubeRay than the kuberay-version the lint used')
    expect(await exists('strict')).toBe(false)
    expect(result.state['rayjob-done']).toBe('true')
  })

  ;(olderStack ? it.skip : it)("(stack 1.7.0) fails with the operator's own refusal when its feature gates are not the ones the lint was told", async () => {
    // The CRD has the field; the operator runs without RayClusterMTLS, so KubeRay refuses the RayJob itself.
    const result = await submit('strict.yaml', tls(), { 'kuberay-version': '1.7.0', 'feature-gates': 'RayClusterMTLS=true' })
    expect(result.code).toBe(1)
    expect(result.outputs).toMatchObject({ 'deployment-status': 'ValidationFailed' })
    expect(result.stdout).toMatch(/::error::KubeRay rejected RayJob \S+\/strict \(ValidationFailed\): The RayJob spec is invalid: spec\.tlsOptions requires the RayClusterMTLS feature gate to be enabled/)
    expect(result.stdout).not.toContain('submission-id is not set')
  })
})

describe('inputs', () => {
  it('wait: false ends once Ray lists the job, with its ID, and leaves the job running', async () => {
    const sleeper = `python -c "import time; time.sleep(30); print('late')"`
    const result = await submit('nowait.yaml', manifest('nowait', sleeper, '  submissionMode: HTTPMode\n'), { wait: 'false' })
    expectStepPassed(result)
    expect(result.outputs['submission-id']).toMatch(/^raysubmit_/)
    expect(result.stdout).toContain('not waiting for it (wait: false)')
    expect(['PENDING', 'RUNNING']).toContain((await rayJob(result.outputs['submission-id'])).status)
    expect(result.state['rayjob-done']).toBe('true') // the post step must not stop what was meant to go on
    await dashboardRequest('direct', 'POST', `/api/jobs/${result.outputs['submission-id']}/stop`)
  })

  it('logs: false keeps the driver log out of the step; name and context choose the RayJob and the cluster', async () => {
    const result = await submit('quiet.yaml', manifest('from-manifest', OK, '  submissionMode: HTTPMode\n'), { logs: 'false', name: 'renamed', context: stackInfo().context })
    await expectPassed(result, 'renamed')
    expect(result.stdout).not.toContain('ok from the driver')
    expect(result.stdout).not.toContain('::group::Driver log')
    expect(result.stdout).toContain(`context "${stackInfo().context}"`)
    expect(await exists('from-manifest')).toBe(false)
  })

  it('names a context the kubeconfig does not have, and what it has', async () => {
    const result = await submit('ctx.yaml', manifest('ctx', OK), { context: 'prod' })
    expect(result.code).toBe(1)
    expect(result.stdout).toContain(`context "prod" is not in KUBECONFIG (${stackInfo().kubeconfig}) (it has: ${stackInfo().context}); fix the context input`)
  })
})

describe('timeouts', () => {
  const SLEEPER = `python -c "import time; print('sleeping', flush=True); time.sleep(600)"`

  it.each([
    ['stop', 'the Ray job is stopped'],
    ['delete', 'the RayJob is deleted'],
    ['keep', 'the job keeps running']
  ])('on-timeout: %s — %s, and the step says where the job was stuck', async (action) => {
    const name = `slow-${action}`
    const result = await submit(`${name}.yaml`, manifest(name, SLEEPER, '  submissionMode: HTTPMode\n'), { timeout: '25s', 'on-timeout': action })
    expect(result.code).toBe(1)
    expect(result.stdout).toMatch(/::error::Timed out after 25s: RayJob .*slow-\S* was Running \(Ray: RUNNING\) for \d+s/)
    const id = result.outputs['submission-id']
    if (action === 'stop') {
      expect(result.stdout).toContain(`Stopped Ray job ${id}`)
      await waitFor(async () => (await rayJob(id)).status === 'STOPPED', 30_000, `Ray job ${id} to be STOPPED`)
    } else if (action === 'delete') {
      expect(result.stdout).toContain(`Deleted RayJob ${ns.name}/${name}`)
      await waitFor(async () => !(await exists(name)), 60_000, `RayJob ${name} to be gone`)
    } else {
      expect(result.stdout).toContain('keeps running (on-timeout: keep)')
      expect((await rayJob(id)).status).toBe('RUNNING')
      expect((await rayJobStatus(name)).jobDeploymentStatus).toBe('Running')
      await dashboardRequest('direct', 'POST', `/api/jobs/${id}/stop`)
    }
  })

  it('on-timeout: stop deletes a RayJob whose job was never submitted, so it cannot start later', async () => {
    const content = `apiVersion: ray.io/v1
kind: RayJob
metadata:
  name: no-cluster
spec:
  entrypoint: ${JSON.stringify(OK)}
  clusterSelector:
    ray.io/cluster: does-not-exist
`
    const result = await submit('no-cluster.yaml', content, { timeout: '15s' })
    expect(result.code).toBe(1)
    expect(result.stdout).toMatch(/Timed out after 15s: RayJob .*no-cluster was Initializing for \d+s: the RayCluster never became ready/)
    expect(result.stdout).toContain('was deleted instead')
    expect(result.outputs['submission-id']).toBeUndefined()
    await waitFor(async () => !(await exists('no-cluster')), 60_000, 'RayJob no-cluster to be gone')
  })
})

describe('cancellation', () => {
  it('on-cancel: stop stops the Ray job when the workflow is cancelled mid-wait', async () => {
    const workspace = workspaceWith({ 'cancel.yaml': manifest('cancel-me', `python -c "import time; time.sleep(600)"`, '  submissionMode: HTTPMode\n') })
    const step = startAction(workspace, { command: 'submit', manifests: 'cancel.yaml', namespace: ns.name, timeout: '5m' }, { KUBECONFIG: stackInfo().kubeconfig })
    const { value: id } = await step.output('submission-id')
    step.child.kill('SIGINT') // what the runner sends first when a workflow is cancelled
    const result = await step.done
    expect(result.code).toBe(1)
    expect(result.stdout).toContain('The workflow was cancelled while RayJob')
    expect(result.stdout).toContain(`Stopped Ray job ${id}`)
    expect(result.state['rayjob-done']).toBe('true')
    await waitFor(async () => (await rayJob(id)).status === 'STOPPED', 30_000, `Ray job ${id} to be STOPPED`)
  })

  it("the post step applies on-cancel when the main step was killed before it could", async () => {
    const workspace = workspaceWith({ 'killed.yaml': manifest('killed', `python -c "import time; time.sleep(600)"`, '  submissionMode: HTTPMode\n') })
    const env = { KUBECONFIG: stackInfo().kubeconfig }
    const inputs = { command: 'submit', manifests: 'killed.yaml', namespace: ns.name, timeout: '5m', 'on-cancel': 'delete' }
    const main = startAction(workspace, inputs, env)
    await main.output('submission-id')
    main.child.kill('SIGKILL')
    await main.done
    const post = await runPostStep(workspace, inputs, env, main.files)
    expect(post.code).toBe(0)
    expect(post.stdout).toContain('applying on-cancel: delete')
    expect(post.stdout).toContain(`Deleted RayJob ${ns.name}/killed`)
    await waitFor(async () => !(await exists('killed')), 60_000, 'RayJob killed to be gone')
  })
})

describe('reruns', () => {
  it('a rerun of the same attempt follows its own RayJob instead of submitting twice', async () => {
    const run = { GITHUB_ACTIONS: 'true', GITHUB_RUN_ID: '777001', GITHUB_RUN_ATTEMPT: '1', GITHUB_REPOSITORY: 'acme/ml' }
    const content = manifest('rerun', OK, '  submissionMode: InteractiveMode\n  preRunningDeadlineSeconds: 120\n')
    const first = await submit('rerun.yaml', content, { 'name-suffix': 'run' }, run)
    expectStepPassed(first)
    const second = await submit('rerun.yaml', content, { 'name-suffix': 'run' }, run)
    expectStepPassed(second)
    expect(second.outputs['rayjob-name']).toBe(first.outputs['rayjob-name'])
    expect(second.outputs['submission-id']).toBe(first.outputs['submission-id'])
    expect(second.stdout).toContain('that this run attempt created before: following it, not submitting again')
    const jobs = (await dashboardRequest('direct', 'GET', '/api/jobs/')).json<{ submission_id: string }[]>()
    expect(jobs.filter((j) => j.submission_id === first.outputs['submission-id'])).toHaveLength(1)
    // The next attempt is a new RayJob with its own name and ID.
    const third = await submit('rerun.yaml', content, { 'name-suffix': 'run' }, { ...run, GITHUB_RUN_ATTEMPT: '2' })
    expectStepPassed(third)
    expect(third.outputs['rayjob-name']).not.toBe(first.outputs['rayjob-name'])
    expect(third.outputs['submission-id']).not.toBe(first.outputs['submission-id'])
    expect((await getRayObject(ns.kc, 'rayjobs', ns.name, first.outputs['rayjob-name'])).metadata).toBeDefined()
  })

  it('two matrix legs of one run submitting different jobs under one name: the second never follows the first (issue 9, defect 12)', async () => {
    const run = { GITHUB_ACTIONS: 'true', GITHUB_RUN_ID: '777002', GITHUB_RUN_ATTEMPT: '1', GITHUB_REPOSITORY: 'acme/ml', GITHUB_JOB: 'train' }
    const legA = await submit('leg.yaml', manifest('leg', `python -c "print('leg A')"`, '  submissionMode: HTTPMode\n'), { 'name-suffix': 'run' }, run)
    expectStepPassed(legA)
    const legB = await submit('leg.yaml', manifest('leg', `python -c "print('leg B')"`, '  submissionMode: HTTPMode\n'), { 'name-suffix': 'run' }, run)
    expect(legB.code).toBe(1)
    expect(legB.stdout).toContain('created by this same workflow run attempt from a different RayJob')
    expect(legB.stdout).toContain('${{ matrix.')
    expect(legB.stdout).not.toContain('leg A')
    expect(legB.outputs['submission-id']).toBeUndefined()
    // Ray ran exactly one job under that ID: leg A's.
    const jobs = (await dashboardRequest('direct', 'GET', '/api/jobs/')).json<{ submission_id: string }[]>()
    expect(jobs.filter((j) => j.submission_id === legA.outputs['submission-id'])).toHaveLength(1)
  })

  it('the post step leaves alone a RayJob with the same name and fixed spec.jobId that this step did not create (issue 9, defect 9)', async () => {
    const content = manifest('fixed-id', `python -c "import time; time.sleep(600)"`, '  submissionMode: HTTPMode\n  jobId: fixed-id-1\n')
    const workspace = workspaceWith({ 'fixed.yaml': content })
    const env = { KUBECONFIG: stackInfo().kubeconfig }
    const inputs = { command: 'submit', manifests: 'fixed.yaml', namespace: ns.name, timeout: '5m', 'on-cancel': 'delete' }
    // Someone else's RayJob, same name and jobId (the manifest's), made directly with the API.
    await createRayObject(ns.kc, 'rayjobs', ns.name, { apiVersion: 'ray.io/v1', kind: 'RayJob', metadata: { name: 'fixed-id' }, spec: { entrypoint: 'sleep 600', jobId: 'fixed-id-1', suspend: true } })
    // This step's main step was killed right after saving its state, before its create.
    const main = await submit('fixed.yaml', content, { 'on-cancel': 'delete' })
    expect(main.code).toBe(1)
    expect(main.stdout).toContain('already exists, created by something other than this action')
    const files = stepFiles()
    writeFileSync(files.state, `isPost<<EOF\ntrue\nEOF\nrayjob<<EOF\n${JSON.stringify({ namespace: ns.name, name: 'fixed-id', submissionId: 'fixed-id-1', stepToken: 'f'.repeat(32) })}\nEOF\n`)
    const post = await runPostStep(workspace, inputs, env, files)
    expect(post.code).toBe(0)
    expect(post.stdout).toContain('is not the one this step created')
    expect(await exists('fixed-id')).toBe(true)
  })

  it('refuses a name taken by another run, and says how to avoid it', async () => {
    const content = manifest('taken', OK, '  submissionMode: HTTPMode\n')
    expect((await submit('taken.yaml', content)).code).toBe(0)
    const again = await submit('taken.yaml', content)
    expect(again.code).toBe(1)
    expect(again.stdout).toMatch(/RayJob .*\/taken already exists.*Set name-suffix: run/)
  })
})

describe('reaching the Dashboard', () => {
  it('through dashboard-url, a Dashboard the runner reaches directly', async () => {
    const result = await submit('direct.yaml', manifest('direct', OK, '  submissionMode: HTTPMode\n'), { 'dashboard-url': stackInfo().dashboardUrl })
    await expectPassed(result, 'direct')
    expect(result.outputs['dashboard-url']).toBe(stackInfo().dashboardUrl)
  })
})

describe('credentials', () => {
  it('takes the kubeconfig input and masks its token before anything is printed', async () => {
    const kubeconfig = readFileSync(stackInfo().kubeconfig, 'utf8')
    const base64 = Buffer.from(kubeconfig).toString('base64')
    const result = await submit('creds.yaml', manifest('creds', OK, '  submissionMode: HTTPMode\n'), { kubeconfig: base64 }, { KUBECONFIG: '' })
    expect(result.code).toBe(0)
    expect(result.stdout).toContain('credentials from the kubeconfig input')
    expect(result.stdout).toContain(`::add-mask::${stackInfo().adminToken}`)
    const firstMask = result.stdout.indexOf(`::add-mask::${stackInfo().adminToken}`)
    expect(result.stdout.indexOf(stackInfo().adminToken)).toBe(firstMask + '::add-mask::'.length)
  })
})

const exists = async (name: string): Promise<boolean> => (await findRayObject(ns.kc, 'rayjobs', ns.name, name)) !== undefined
