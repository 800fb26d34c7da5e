// Measures submit and gate on the real test stack (npm run stack:up first; run as root) and prints
// the figures the README quotes. A script that prints figures, not a test.
//
//   node scripts/measure-gate.mjs [--runs 10] [--long-seconds 240]
//
// 1. From the Ray job's end (Ray's own end_time, and the moment the RayJob's status says so) to the
//    action's process ending: median of N runs.
// 2. From the Dashboard first listing the job (this script asks Ray every 50 ms) to the action
//    writing its submission-id output: median of N runs.
// 3. Requests per minute to the API server and to the Dashboard while the action waits on a job
//    that runs for several minutes, and over the whole run of a job that Ray lists only minutes
//    after the RayJob was created (the action's own request log, printed with RUNNER_DEBUG=1).
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { CoreV1Api, KubeConfig, Watch } from '@kubernetes/client-node'
import { request } from 'undici'

const { values } = parseArgs({ options: { runs: { type: 'string', default: '10' }, 'long-seconds': { type: 'string', default: '240' } } })
const RUNS = Number(values.runs)
const LONG_SECONDS = Number(values['long-seconds'])
const ROOT = new URL('..', import.meta.url).pathname
const stack = JSON.parse(readFileSync(process.env.RAYJOB_STACK_DIR ? join(process.env.RAYJOB_STACK_DIR, 'stack.json') : '/tmp/rayjob-action-stack/stack.json', 'utf8'))
const NODE = process.execPath
const NAMESPACE = `measure-${Date.now().toString(36)}`

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms))

const kc = new KubeConfig()
kc.loadFromFile(stack.kubeconfig)
const core = kc.makeApiClient(CoreV1Api)

function manifest(name, jobId, entrypoint) {
  return `apiVersion: ray.io/v1
kind: RayJob
metadata:
  name: ${name}
spec:
  submissionMode: HTTPMode
  jobId: ${jobId}
  entrypoint: ${JSON.stringify(entrypoint)}
  rayClusterSpec:
    rayVersion: "2.58.0"
    headGroupSpec:
      rayStartParams: {}
      template:
        spec:
          containers:
          - name: ray-head
            image: rayproject/ray:2.58.0
`
}

/** Runs the action on one manifest; resolves with its end time, output file and log. */
function runAction(name, content, extraEnv = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'measure-'))
  writeFileSync(join(dir, 'job.yaml'), content)
  for (const f of ['output', 'state', 'summary']) writeFileSync(join(dir, f), '')
  const child = spawn(NODE, [join(ROOT, 'dist', 'index.js')], {
    cwd: dir,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      KUBECONFIG: stack.kubeconfig,
      GITHUB_WORKSPACE: dir,
      GITHUB_OUTPUT: join(dir, 'output'),
      GITHUB_STATE: join(dir, 'state'),
      GITHUB_STEP_SUMMARY: join(dir, 'summary'),
      INPUT_COMMAND: 'submit',
      INPUT_MANIFESTS: 'job.yaml',
      INPUT_NAMESPACE: NAMESPACE,
      'INPUT_KUBERAY-VERSION': stack.kuberayVersion,
      INPUT_TIMEOUT: '15m',
      ...extraEnv
    },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let log = ''
  child.stdout.on('data', (d) => (log += d))
  child.stderr.on('data', (d) => (log += d))
  const done = new Promise((resolve) => child.on('close', (code) => resolve({ code, endedAt: Date.now(), log })))
  return { dir, done }
}

/** Polls the output file every 10 ms for the submission-id line; resolves with the time it appeared. */
async function whenOutput(dir, name, done) {
  let finished = false
  done.then(() => (finished = true))
  for (;;) {
    if (readFileSync(join(dir, 'output'), 'utf8').includes(`${name}<<`)) return Date.now()
    if (finished) return undefined
    await sleep(10)
  }
}

/** Asks Ray directly (not through the action) every 50 ms when it first lists the job. */
async function whenListed(id, done) {
  let finished = false
  done.then(() => (finished = true))
  while (!finished) {
    const res = await request(`${stack.dashboardUrl}/api/jobs/${id}`)
    const text = await res.body.text()
    if (res.statusCode === 200 && JSON.parse(text).submission_id === id) return Date.now()
    await sleep(50)
  }
  return undefined
}

async function rayJob(id) {
  const res = await request(`${stack.dashboardUrl}/api/jobs/${id}`)
  return res.body.json()
}

/** When the RayJob's status first said the job is over (a watch kept by this script). */
function watchTerminal(name) {
  return new Promise((resolve) => {
    let controller
    const timer = setTimeout(() => finish(undefined), 300_000)
    const finish = (at) => {
      clearTimeout(timer)
      controller?.abort()
      resolve(at)
    }
    void new Watch(kc)
      .watch(`/apis/ray.io/v1/namespaces/${NAMESPACE}/rayjobs`, { fieldSelector: `metadata.name=${name}` }, (_type, object) => {
        if (/SUCCEEDED|FAILED|STOPPED/.test(object?.status?.jobStatus ?? '')) finish(Date.now())
      }, () => {})
      .then((c) => (controller = c))
  })
}

async function shortRuns() {
  const endLatencies = []
  const statusLatencies = []
  const outputLatencies = []
  for (let i = 0; i < RUNS; i++) {
    const name = `quick-${i}`
    const id = `measure-${Date.now().toString(36)}-${i}`
    const terminalSeen = watchTerminal(name)
    const { dir, done } = runAction(name, manifest(name, id, `python -c "print('ok')"`))
    const [listedAt, outputAt, result] = await Promise.all([whenListed(id, done), whenOutput(dir, 'submission-id', done), done])
    const rayEnd = (await rayJob(id)).end_time
    const statusAt = await terminalSeen
    if (result.code !== 0) throw new Error(`run ${i} failed:\n${result.log}`)
    endLatencies.push(result.endedAt - rayEnd)
    if (statusAt) statusLatencies.push(result.endedAt - statusAt)
    if (listedAt && outputAt) outputLatencies.push(outputAt - listedAt)
    process.stderr.write(`run ${i + 1}/${RUNS}: end ${result.endedAt - rayEnd} ms after Ray's end_time, ${statusAt ? result.endedAt - statusAt : '?'} ms after the RayJob said so; submission-id ${outputAt - listedAt} ms after Ray listed the job\n`)
  }
  return { endLatencies, statusLatencies, outputLatencies }
}

/** Parses the action's request counts (RUNNER_DEBUG) for one window: 'While waiting' or 'Since the RayJob was created'. */
function requestCounts(log, label) {
  const line = new RegExp(`${label} ([^:]+): (\\d+) request\\(s\\) to the API server(?: \\(([\\d.]+)/min\\))?, (\\d+) to the Dashboard(?: \\(([\\d.]+)/min\\))?`).exec(log)
  if (!line) throw new Error(`no "${label}" request count in the action's log:\n${log.slice(-3000)}`)
  return { window: line[1], api: Number(line[2]), apiPerMinute: Number(line[3]), dashboard: Number(line[4]), dashboardPerMinute: Number(line[5]) }
}

/** A job that runs for LONG_SECONDS: the requests while the action waits for its end. */
async function longRun() {
  const name = 'long'
  const id = `measure-long-${Date.now().toString(36)}`
  const { done } = runAction(name, manifest(name, id, `python -c "import time; [print(i, flush=True) or time.sleep(10) for i in range(${Math.round(LONG_SECONDS / 10)})]"`), { RUNNER_DEBUG: '1' })
  const result = await done
  if (result.code !== 0) throw new Error(`the long run failed:\n${result.log.slice(-3000)}`)
  return requestCounts(result.log, 'While waiting')
}

/**
 * A K8sJobMode job whose submitter (a command of its own) waits LONG_SECONDS before it submits: the
 * requests while the action waits for Ray to list the job, which no fast poll may fill.
 */
async function unlistedRun() {
  const name = 'late-submit'
  const id = `measure-late-${Date.now().toString(36)}`
  const submitter = `sleep ${LONG_SECONDS}; ray job submit --address http://$RAY_DASHBOARD_ADDRESS --submission-id $RAY_JOB_SUBMISSION_ID --no-wait -- python -c 'print(1)'`
  const content = manifest(name, id, `python -c "print(1)"`)
    .replace('submissionMode: HTTPMode', 'submissionMode: K8sJobMode')
    .replace('  rayClusterSpec:', `  submitterPodTemplate:\n    spec:\n      restartPolicy: Never\n      containers:\n      - name: submitter\n        image: rayproject/ray:2.58.0\n        command: ["sh", "-c", ${JSON.stringify(submitter)}]\n  rayClusterSpec:`)
  const { done } = runAction(name, content, { RUNNER_DEBUG: '1' })
  const result = await done
  if (result.code !== 0) throw new Error(`the late-submit run failed:\n${result.log.slice(-3000)}`)
  return requestCounts(result.log, 'Since the RayJob was created')
}

await core.createNamespace({ body: { metadata: { name: NAMESPACE } } })
try {
  const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')
  const short = await shortRuns()
  const long = await longRun()
  const unlisted = await unlistedRun()
  const ms = (x) => `${Math.round(x)} ms`
  const together = (r) => `${r.api + r.dashboard} (${(r.apiPerMinute + r.dashboardPerMinute).toFixed(1)}/min)`
  const rows = [
    ['Ray job end (Ray\'s end_time) → step ends', `${ms(median(short.endLatencies))} (min ${ms(Math.min(...short.endLatencies))}, max ${ms(Math.max(...short.endLatencies))})`, 'under 1 s'],
    ['RayJob status says the job is over → step ends', `${ms(median(short.statusLatencies))} (min ${ms(Math.min(...short.statusLatencies))}, max ${ms(Math.max(...short.statusLatencies))})`, '—'],
    ['Dashboard first lists the job → submission-id output', `${ms(median(short.outputLatencies))} (min ${ms(Math.min(...short.outputLatencies))}, max ${ms(Math.max(...short.outputLatencies))})`, 'under 1 s'],
    [`Requests while waiting ${long.window} for a running job: API server`, `${long.api} (${long.apiPerMinute}/min)`, ''],
    [`Requests while waiting ${long.window} for a running job: Dashboard`, `${long.dashboard} (${long.dashboardPerMinute}/min)`, ''],
    [`Requests while waiting ${long.window} for a running job: both`, together(long), 'at most 6/min'],
    [`Requests over ${unlisted.window} for a job Ray lists only after ${LONG_SECONDS} s: both`, `${together(unlisted)}: API ${unlisted.api}, Dashboard ${unlisted.dashboard}`, 'at most 6/min']
  ]
  console.log(`\nSubmit and gate on the test stack (KubeRay ${stack.kuberayVersion}, Kubernetes ${stack.k8sVersion}, Ray ${stack.rayVersion}); medians of ${RUNS} runs; load average at start ${load}\n`)
  console.log('| measure | result | target |\n|---|---|---|')
  for (const r of rows) console.log(`| ${r.join(' | ')} |`)
} finally {
  await core.deleteNamespace({ name: NAMESPACE }).catch(() => {})
}
