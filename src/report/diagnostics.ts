// What the step shows when a RayJob fails or times out: the RayJob's conditions and events, its
// RayCluster's state and events, each Ray Pod's phase and container states, the last lines of the
// head's and the submitter's logs, and Ray's own job details. The objects come in as the API server
// returns them; this turns them into lines for the step log and a collapsed section for the job
// summary. Pure.
import { isObj } from '../manifest/model.js'

export interface DiagnosticSection {
  title: string
  lines: string[]
}

export interface Diagnostics {
  sections: DiagnosticSection[]
  /** Reads the credentials may not make: what each would have shown, and the permission. */
  hints: string[]
}

const text = (v: unknown): string => (typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v))

/** "Ready=False (HeadPodNotFound): ..." for each condition. */
export function conditionLines(object: unknown): string[] {
  const status = isObj(object) && isObj(object.status) ? object.status : {}
  const conditions = Array.isArray(status.conditions) ? status.conditions : []
  return conditions.filter(isObj).map((c) => `${text(c.type)}=${text(c.status)}${c.reason ? ` (${text(c.reason)})` : ''}${c.message ? `: ${text(c.message)}` : ''}`)
}

/** "Warning FailedScheduling (x3, default-scheduler): 0/1 nodes are available ..." for each event, oldest first. */
export function eventLines(events: unknown[]): string[] {
  const at = (e: Record<string, unknown>) => text(e.lastTimestamp) || text(e.eventTime) || text(e.firstTimestamp)
  return events
    .filter(isObj)
    .sort((a, b) => at(a).localeCompare(at(b)))
    .map((e) => {
      const source = isObj(e.source) ? text(e.source.component) : text(e.reportingComponent)
      const count = typeof e.count === 'number' && e.count > 1 ? `x${e.count}` : ''
      const detail = [count, source].filter(Boolean).join(', ')
      return `${text(e.type)} ${text(e.reason)}${detail ? ` (${detail})` : ''}: ${text(e.message)}`
    })
}

/** One line per Pod and container: its phase, and each container's state (waiting with reason, running, terminated with exit code). */
export function podLines(pods: unknown[]): string[] {
  const lines: string[] = []
  for (const pod of pods.filter(isObj)) {
    const metadata = isObj(pod.metadata) ? pod.metadata : {}
    const status = isObj(pod.status) ? pod.status : {}
    const labels = isObj(metadata.labels) ? metadata.labels : {}
    const role = text(labels['ray.io/node-type']) || (labels['batch.kubernetes.io/job-name'] ? 'submitter' : '')
    const unschedulable = (Array.isArray(status.conditions) ? status.conditions : []).find((c) => isObj(c) && c.type === 'PodScheduled' && c.status === 'False')
    const scheduling = isObj(unschedulable) ? `, not scheduled (${text(unschedulable.reason)}: ${text(unschedulable.message)})` : ''
    lines.push(`Pod ${text(metadata.name)}${role ? ` (${role})` : ''}: ${text(status.phase) || 'no phase'}${scheduling}`)
    const containers = [...(Array.isArray(status.initContainerStatuses) ? status.initContainerStatuses : []), ...(Array.isArray(status.containerStatuses) ? status.containerStatuses : [])]
    for (const c of containers.filter(isObj)) {
      const restarts = typeof c.restartCount === 'number' && c.restartCount > 0 ? `, ${c.restartCount} restart(s)` : ''
      lines.push(`  container ${text(c.name)}: ${containerState(c.state)}${restarts}${isObj(c.lastState) && isObj(c.lastState.terminated) ? `; last: ${containerState(c.lastState)}` : ''}`)
    }
  }
  return lines
}

function containerState(state: unknown): string {
  if (!isObj(state)) return 'unknown'
  if (isObj(state.waiting)) return `waiting (${text(state.waiting.reason)}${state.waiting.message ? `: ${text(state.waiting.message)}` : ''})`
  if (isObj(state.running)) return `running since ${text(state.running.startedAt)}`
  if (isObj(state.terminated)) {
    const t = state.terminated
    return `terminated (exit code ${text(t.exitCode)}${t.reason ? `, ${text(t.reason)}` : ''}${t.message ? `: ${text(t.message)}` : ''})`
  }
  return 'unknown'
}

/** The RayCluster's state line: "state: ready" or "state: (none) (reason)". */
export function clusterStateLine(rayCluster: unknown): string {
  const status = isObj(rayCluster) && isObj(rayCluster.status) ? rayCluster.status : {}
  return `state: ${text(status.state) || '(none yet)'}${status.reason ? ` (${text(status.reason)})` : ''}`
}

/** The lines for the step log (inside a group). */
export function diagnosticsText(d: Diagnostics): string[] {
  const lines: string[] = []
  for (const section of d.sections) {
    lines.push(`${section.title}:`)
    lines.push(...(section.lines.length ? section.lines.map((l) => `  ${l}`) : ['  (none)']))
  }
  for (const hint of d.hints) lines.push(`Not shown: ${hint}`)
  return lines
}

/** The collapsed job summary section. */
export function diagnosticsMarkdown(d: Diagnostics): string {
  const body = d.sections.map((s) => `**${escape(s.title)}**\n\n\`\`\`text\n${(s.lines.length ? s.lines : ['(none)']).join('\n').replace(/```/g, '`\u200b``')}\n\`\`\`\n`)
  const hints = d.hints.length ? `\n${d.hints.map((h) => `- Not shown: ${escape(h)}`).join('\n')}\n` : ''
  return `<details><summary>Diagnostics</summary>\n\n${body.join('\n')}${hints}\n</details>\n`
}

const escape = (s: string): string => s.replace(/[<>&]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;' })[c]!)
