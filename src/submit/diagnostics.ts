// Collects the diagnostics of a RayJob that failed or timed out (src/report/diagnostics.ts says
// them): each read on its own, so that one the credentials may not make (events, pods, pods/log)
// becomes a hint naming the permission, and never a failure of the step.
import { KubeApiError } from '../kube/client.js'
import type { KubeClient, KubeObject } from '../kube/client.js'
import { clusterStateLine, conditionLines, eventLines, podLines } from '../report/diagnostics.js'
import type { Diagnostics } from '../report/diagnostics.js'
import type { RayJobDetails } from '../gate/status.js'
import { describeFault } from '../gate/pod-faults.js'
import type { PodFault } from '../gate/pod-faults.js'

const LOG_LINES = 30
/**
 * How long all the reads together may take: a failure that is about an API server out of reach
 * would otherwise wait out every read's own 30 s timeout, one after another.
 */
const BUDGET_MS = 20_000

export interface DiagnosticsInput {
  kube: KubeClient
  namespace: string
  name: string
  rayJob?: KubeObject
  rayClusterName: string
  /** K8sJobMode: the submitter Job's Pods have logs worth showing. */
  submitter: boolean
  ray?: RayJobDetails
  faults: PodFault[]
  budgetMs?: number
}

export async function collectDiagnostics(input: DiagnosticsInput): Promise<Diagnostics> {
  const { kube, namespace, name, rayClusterName } = input
  const d: Diagnostics = { sections: [], hints: [] }
  const deadline = Date.now() + (input.budgetMs ?? BUDGET_MS)
  /** Runs one read within the budget; a refusal becomes a hint, any other failure a line saying so. */
  const read = async <T>(what: string, permission: string, fetch: () => Promise<T>): Promise<T | undefined> => {
    let timer: NodeJS.Timeout | undefined
    const outOfTime = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`not read: the diagnostics have ${Math.round((input.budgetMs ?? BUDGET_MS) / 1000)} s in all`)), Math.max(0, deadline - Date.now()))
    })
    try {
      return await Promise.race([fetch(), outOfTime])
    } catch (error) {
      if (error instanceof KubeApiError && (error.status === 403 || error.status === 401)) d.hints.push(`${what} (needs ${permission})`)
      else d.hints.push(`${what}: ${(error as Error).message.split('\n')[0]}`)
      return undefined
    } finally {
      clearTimeout(timer)
    }
  }

  if (input.faults.length) d.sections.push({ title: 'Faults', lines: input.faults.map(describeFault) })
  const rayJobEvents = await read(`events of RayJob ${name}`, 'list on events', () => kube.events(namespace, 'RayJob', name))
  d.sections.push({ title: `RayJob ${namespace}/${name}`, lines: [...conditionLines(input.rayJob).map((l) => `condition ${l}`), ...(rayJobEvents ? eventLines(rayJobEvents) : [])] })

  let pods: KubeObject[] = []
  if (rayClusterName) {
    // null: the API server says there is no such RayCluster; undefined: it could not be read.
    const cluster = await read(`RayCluster ${rayClusterName}`, 'get on rayclusters (ray.io)', async () => (await kube.getRayCluster(namespace, rayClusterName)) ?? null)
    const clusterEvents = await read(`events of RayCluster ${rayClusterName}`, 'list on events', () => kube.events(namespace, 'RayCluster', rayClusterName))
    const state = cluster === null ? ['gone'] : cluster ? [clusterStateLine(cluster), ...conditionLines(cluster).map((l) => `condition ${l}`)] : []
    d.sections.push({ title: `RayCluster ${namespace}/${rayClusterName}`, lines: [...state, ...(clusterEvents ? eventLines(clusterEvents) : [])] })
    pods = (await read('the Ray Pods', 'list on pods', () => kube.list(kube.podsPath(namespace), { labelSelector: `ray.io/cluster=${rayClusterName}` })))?.items ?? []
  }
  if (input.submitter) {
    const submitterPods = (await read("the submitter's Pods", 'list on pods', () => kube.list(kube.podsPath(namespace), { labelSelector: `batch.kubernetes.io/job-name=${name}` })))?.items ?? []
    pods = [...pods, ...submitterPods]
  }
  if (pods.length) {
    d.sections.push({ title: 'Pods', lines: podLines(pods) })
    // One read for every Pod's events (a cluster may have hundreds of Pods), kept for these Pods.
    const podEvents = await read('events of the Pods', 'list on events', () => kube.list(kube.eventsPath(namespace), { fieldSelector: 'involvedObject.kind=Pod' }))
    for (const pod of pods) {
      const mine = (podEvents?.items ?? []).filter((e) => (e.involvedObject as { name?: string } | undefined)?.name === podName(pod))
      if (mine.length) d.sections.push({ title: `Events of Pod ${podName(pod)}`, lines: eventLines(mine) })
    }
  }
  for (const { pod, container, previous } of logTargets(pods)) {
    const log = await read(`the log of ${pod}/${container}`, 'get on pods/log', () => kube.podLog(namespace, pod, container, LOG_LINES, previous))
    const title = `Last lines of ${pod}/${container}${previous ? ' (before its last restart)' : ''}`
    if (log !== undefined) d.sections.push({ title, lines: log.split('\n').filter((l, i, all) => l || i < all.length - 1) })
  }
  if (input.ray) d.sections.push({ title: "Ray's job details", lines: rayDetailLines(input.ray) })
  d.hints = [...new Set(d.hints)]
  return d
}

const podName = (pod: KubeObject): string => pod.metadata?.name ?? ''

/** The head's Ray container and the submitter's container: the logs that say why a job did not run. */
function logTargets(pods: KubeObject[]): { pod: string; container: string; previous: boolean }[] {
  const targets: { pod: string; container: string; previous: boolean }[] = []
  for (const pod of pods) {
    const labels = pod.metadata?.labels ?? {}
    const spec = (pod.spec ?? {}) as { containers?: { name?: string }[] }
    const first = spec.containers?.[0]?.name
    if (!first) continue
    const started = ((pod.status ?? {}) as { containerStatuses?: { state?: Record<string, unknown>; lastState?: Record<string, unknown> }[] }).containerStatuses?.[0]
    // A container that never ran has no log to read.
    if (started && !started.state?.running && !started.state?.terminated && !started.lastState?.terminated) continue
    // A container waiting to restart has only its last run's log.
    const previous = Boolean(started && !started.state?.running && !started.state?.terminated)
    if (labels['ray.io/node-type'] === 'head' || labels['batch.kubernetes.io/job-name']) targets.push({ pod: podName(pod), container: first, previous })
  }
  return targets
}

/** Ray's job details: status, driver exit code, error type, start and end. */
export function rayDetailLines(ray: RayJobDetails): string[] {
  const time = rayTime
  return [
    `status: ${ray.status ?? ''}${ray.message ? ` (${ray.message.split('\n')[0]})` : ''}`,
    ray.driver_exit_code !== undefined && ray.driver_exit_code !== null ? `driver_exit_code: ${ray.driver_exit_code}` : '',
    ray.error_type ? `error_type: ${ray.error_type}` : '',
    time(ray.start_time) ? `start_time: ${time(ray.start_time)}` : '',
    time(ray.end_time) ? `end_time: ${time(ray.end_time)}` : ''
  ].filter(Boolean)
}

/** A time of Ray's job details (ms epoch) as ISO 8601; '' when Ray has none. */
export const rayTime = (ms: number | null | undefined): string => (typeof ms === 'number' && ms > 0 ? new Date(ms).toISOString() : '')
