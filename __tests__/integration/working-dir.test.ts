// Issue 11 against the real stack: the workspace as the job's working directory (packaged as
// `ray job submit --working-dir` packages it, uploaded through the Dashboard's package API), and the
// inputs that win over the manifest (image, runtime-env, entrypoint, job-metadata). The action runs
// as the runner runs it: `node dist/index.js` with INPUT_*.
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals'
import { CoreV1Api } from '@kubernetes/client-node'
import { randomBytes } from 'node:crypto'
import { mkdirSync, mkdtempSync, truncateSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { expectStepPassed, runAction } from './action.js'
import type { ActionResult } from './action.js'
import { closeDashboardClients, createRayObject, createTestNamespace, dashboardRequest, findRayObject, getRayObject, rayJobManifest, stackInfo, waitForRayClusterReady } from './stack.js'
import type { TestNamespace } from './stack.js'

jest.setTimeout(300_000)

let ns: TestNamespace
beforeAll(async () => {
  ns = await createTestNamespace('workdir')
})
afterAll(async () => {
  await closeDashboardClients()
  await ns?.dispose()
})

const RUN_ENV = { GITHUB_ACTIONS: 'true', GITHUB_JOB: 'workdir', GITHUB_REPOSITORY: 'octo/ray-repo', GITHUB_RUN_ID: '4242', GITHUB_RUN_ATTEMPT: '1', GITHUB_SERVER_URL: 'https://github.com', GITHUB_SHA: 'c0ffee1234567890' }

/** A workspace with these files (paths may have folders). */
function workspace(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'rayjob-action-wd-'))
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true })
    writeFileSync(join(dir, name), content)
  }
  return dir
}

function submit(dir: string, file: string, inputs: Record<string, string> = {}): Promise<ActionResult> {
  return runAction(dir, { command: 'submit', manifests: file, namespace: ns.name, 'kuberay-version': stackInfo().kuberayVersion, timeout: '3m', ...inputs }, { KUBECONFIG: stackInfo().kubeconfig, ...RUN_ENV })
}

interface RayJobDetails {
  submission_id: string
  status: string
  entrypoint: string
  runtime_env?: Record<string, unknown>
  metadata?: Record<string, string>
}

const rayJob = async (id: string): Promise<RayJobDetails> => (await dashboardRequest('direct', 'GET', `/api/jobs/${id}`)).json()

/** A folder `app/` whose module prints a line unique to this test run, with a .gitignore'd file the module looks for. */
function appFiles(marker: string): Record<string, string> {
  return {
    'app/mymod.py': `import os\n\ndef main():\n    print("hello from mymod ${marker}")\n    print("secret present:", os.path.exists("secret.txt"))\n`,
    'app/.gitignore': 'secret.txt\n',
    'app/secret.txt': 'must not be uploaded\n'
  }
}
const ENTRYPOINT = `python -c "import mymod; mymod.main()"`

describe('working-directory', () => {
  it('runs an InteractiveMode job in the packaged folder: the module is imported, the ignored file is left out, and Ray shows the package URI; a second identical run uploads nothing', async () => {
    const marker = randomBytes(6).toString('hex')
    const dir = workspace({ ...appFiles(marker), 'job.yaml': rayJobManifest('wd-interactive', ENTRYPOINT, '  submissionMode: InteractiveMode\n  preRunningDeadlineSeconds: 120\n') })
    const result = await submit(dir, 'job.yaml', { 'working-directory': 'app' })
    expectStepPassed(result)
    expect(result.stdout).toMatch(/Working directory app: 2 entries \(1 left out by excludes and ignore files\)/)
    const uri = /as (gcs:\/\/_ray_pkg_[0-9a-f]{16}\.zip)/.exec(result.stdout)?.[1]
    expect(uri).toBeDefined()
    expect(result.stdout).toContain(`Uploaded the working directory as ${uri}`)
    expect(result.stdout).toContain(`hello from mymod ${marker}`)
    expect(result.stdout).toContain('secret present: False')
    const details = await rayJob(result.outputs['submission-id'])
    expect(details.runtime_env?.working_dir).toBe(uri)

    // The same content under another RayJob: the package is on the cluster already.
    writeFileSync(join(dir, 'job2.yaml'), rayJobManifest('wd-interactive-2', ENTRYPOINT, '  submissionMode: InteractiveMode\n  preRunningDeadlineSeconds: 120\n'))
    const again = await submit(dir, 'job2.yaml', { 'working-directory': 'app' })
    expectStepPassed(again)
    expect(again.stdout).toContain(`The working directory's package ${uri} is on the cluster already (same content): nothing uploaded`)
    expect(again.stdout).not.toContain('Uploaded the working directory')
    expect(again.stdout).toContain(`hello from mymod ${marker}`)
  })

  it('runs a clusterSelector job (K8sJobMode: KubeRay submits) in the packaged folder, uploaded before the RayJob exists', async () => {
    const cluster = 'wd-shared'
    await createRayObject(ns.kc, 'rayclusters', ns.name, {
      apiVersion: 'ray.io/v1',
      kind: 'RayCluster',
      metadata: { name: cluster },
      spec: { rayVersion: '2.58.0', headGroupSpec: { rayStartParams: {}, template: { spec: { containers: [{ name: 'ray-head', image: 'rayproject/ray:2.58.0' }] } } } }
    })
    await waitForRayClusterReady(ns.kc, ns.name, cluster, 120_000)
    const marker = randomBytes(6).toString('hex')
    const manifest = `apiVersion: ray.io/v1\nkind: RayJob\nmetadata:\n  name: wd-selector\nspec:\n  entrypoint: ${JSON.stringify(ENTRYPOINT)}\n  clusterSelector:\n    ray.io/cluster: ${cluster}\n`
    const dir = workspace({ ...appFiles(marker), 'job.yaml': manifest })
    const result = await submit(dir, 'job.yaml', { 'working-directory': 'app' })
    expectStepPassed(result)
    const uri = /as (gcs:\/\/_ray_pkg_[0-9a-f]{16}\.zip)/.exec(result.stdout)?.[1]
    expect(result.stdout).toMatch(new RegExp(`Uploaded the working directory as ${uri!.replace(/[./]/g, '\\$&')} .* \\(RayCluster ${ns.name}/${cluster}, the API server's service proxy`))
    // uploaded before the create
    expect(result.stdout.indexOf('Uploaded the working directory')).toBeLessThan(result.stdout.indexOf(`Created RayJob ${ns.name}/wd-selector`))
    expect(result.stdout).toContain(`hello from mymod ${marker}`)
    expect(result.stdout).toContain('secret present: False')
    const rayJobObject = await getRayObject(ns.kc, 'rayjobs', ns.name, 'wd-selector')
    expect(JSON.parse(rayJobObject.spec.runtimeEnvYAML as string)).toEqual({ working_dir: uri })
    expect((await rayJob(result.outputs['submission-id'])).runtime_env?.working_dir).toBe(uri)
  })

  it('packages and uploads 60 MiB through the service proxy (the figures the README gives)', async () => {
    const marker = randomBytes(6).toString('hex')
    const dir = workspace({ ...appFiles(marker), 'job.yaml': rayJobManifest('wd-60mib', ENTRYPOINT, '  submissionMode: InteractiveMode\n  preRunningDeadlineSeconds: 120\n') })
    writeFileSync(join(dir, 'app', 'weights.bin'), randomBytes(60 * 1024 * 1024))
    const result = await submit(dir, 'job.yaml', { 'working-directory': 'app' })
    expectStepPassed(result)
    const packaged = /Working directory app: .*, ([\d.]+) MiB, packaged in ([\d.]+) s/.exec(result.stdout)
    const uploaded = /Uploaded the working directory as \S+ \(\d+ entries, ([\d.]+) MiB\) through PUT \/api\/packages\/ in ([\d.]+) s/.exec(result.stdout)
    expect(packaged).not.toBeNull()
    expect(uploaded).not.toBeNull()
    process.stderr.write(`[measure] working-directory of ${packaged![1]} MiB: packaged in ${packaged![2]} s, uploaded through the service proxy in ${uploaded![2]} s\n`)
    expect(result.stdout).toContain(`hello from mymod ${marker}`)
  })

  it('refuses a folder whose package is over 100 MiB before anything is created, naming the size and the limit', async () => {
    const dir = workspace({ 'big/main.py': 'print(1)\n', 'job.yaml': rayJobManifest('wd-big', 'python main.py', '  submissionMode: InteractiveMode\n') })
    writeFileSync(join(dir, 'big', 'weights.bin'), '')
    truncateSync(join(dir, 'big', 'weights.bin'), 101 * 1024 * 1024) // sparse: the size is checked before a byte is read
    const result = await submit(dir, 'job.yaml', { 'working-directory': 'big' })
    expect(result.code).toBe(1)
    expect(result.stdout).toMatch(/working-directory: the package of \S+big would be 101\.00 MiB \(\d+ bytes\), over the 100\.00 MiB \(104857600 bytes\) a Ray Dashboard accepts/)
    expect(await findRayObject(ns.kc, 'rayjobs', ns.name, 'wd-big')).toBeUndefined()
  })

  it('refuses a RayJob that makes its own cluster and starts the job itself (K8sJobMode), naming the two ways that work', async () => {
    const dir = workspace({ ...appFiles('x'), 'job.yaml': rayJobManifest('wd-k8sjob', ENTRYPOINT) })
    const result = await submit(dir, 'job.yaml', { 'working-directory': 'app' })
    expect(result.code).toBe(1)
    expect(result.stdout).toMatch(/working-directory: .*this RayJob \(K8sJobMode\) makes its own cluster.*submissionMode: InteractiveMode.*clusterSelector/)
    expect(await findRayObject(ns.kc, 'rayjobs', ns.name, 'wd-k8sjob')).toBeUndefined()
  })
})

describe('overrides', () => {
  it('puts the image input on every Ray container of the RayCluster and warns when its tag disagrees with rayVersion', async () => {
    const manifest = `${rayJobManifest('img', `python -c "print('image ok')"`, '  submissionMode: HTTPMode\n')}    workerGroupSpecs:
    - groupName: small
      replicas: 1
      minReplicas: 1
      maxReplicas: 1
      rayStartParams: {}
      template:
        spec:
          containers:
          - name: ray-worker
            image: rayproject/ray:2.58.0
          - name: sidecar
            image: busybox:1.36
`
    const image = 'ghcr.io/octo/ray-app:2.57.0-c0ffee1'
    const result = await submit(workspace({ 'job.yaml': manifest }), 'job.yaml', { image })
    expectStepPassed(result)
    expect(result.stdout).toContain(`::warning::image: the tag of ${image} says Ray 2.57.0, but spec.rayClusterSpec.rayVersion is 2.58.0`)
    const clusterName = result.outputs['ray-cluster-name']
    const cluster = await getRayObject(ns.kc, 'rayclusters', ns.name, clusterName)
    const spec = cluster.spec as { headGroupSpec: { template: { spec: { containers: { image: string }[] } } }; workerGroupSpecs: { template: { spec: { containers: { image: string }[] } } }[] }
    expect(spec.headGroupSpec.template.spec.containers[0].image).toBe(image)
    expect(spec.workerGroupSpecs[0].template.spec.containers.map((c) => c.image)).toEqual([image, 'busybox:1.36'])
    // ... and the Pods KubeRay made from it
    const pods = await ns.kc.makeApiClient(CoreV1Api).listNamespacedPod({ namespace: ns.name, labelSelector: `ray.io/cluster=${clusterName}` })
    expect(pods.items.length).toBeGreaterThanOrEqual(2)
    for (const pod of pods.items) expect(pod.spec?.containers[0].image).toBe(image)
  })

  it("gives Ray the runtime-env, entrypoint and job-metadata inputs, and the run's repository, URL and commit", async () => {
    const manifest = rayJobManifest('over', `python -c "print('from the manifest')"`, '  submissionMode: HTTPMode\n  runtimeEnvYAML: |\n    env_vars:\n      GREETING: manifest\n  metadata:\n    owner: manifest\n')
    const result = await submit(workspace({ 'job.yaml': manifest }), 'job.yaml', {
      'runtime-env': '{"env_vars": {"GREETING": "from the input"}}',
      entrypoint: `python -c "import os; print('greeting:', os.environ['GREETING'])"`,
      'job-metadata': '{"team": "ml", "owner": "input"}'
    })
    expectStepPassed(result)
    expect(result.stdout).toContain('greeting: from the input')
    const details = await rayJob(result.outputs['submission-id'])
    expect(details.entrypoint).toBe(`python -c "import os; print('greeting:', os.environ['GREETING'])"`)
    expect(details.runtime_env).toMatchObject({ env_vars: { GREETING: 'from the input' } })
    expect(details.metadata).toMatchObject({
      team: 'ml',
      owner: 'input',
      github_repository: 'octo/ray-repo',
      github_run_url: 'https://github.com/octo/ray-repo/actions/runs/4242/attempts/1',
      github_commit: 'c0ffee1234567890'
    })
  })

  it('fails the lint on a bad runtime-env, naming the input, before anything is created', async () => {
    const result = await submit(workspace({ 'job.yaml': rayJobManifest('bad-env', 'python -c "print(1)"', '  submissionMode: HTTPMode\n') }), 'job.yaml', { 'runtime-env': 'env_vars: [unclosed' })
    expect(result.code).toBe(1)
    expect(result.stdout).toMatch(/::error [^\n]*::[^\n]*the runtime-env input: /)
    expect(result.stdout).toContain('not submitting: with the override inputs')
    expect(await findRayObject(ns.kc, 'rayjobs', ns.name, 'bad-env')).toBeUndefined()
  })
})
