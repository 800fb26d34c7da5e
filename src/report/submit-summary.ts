// The job summary of a submit step: what ran where, how it ended, how to read its logs. Pure.
import { escapeControl } from './text.js'

export interface SubmitReport {
  outcome: 'passed' | 'failed' | 'timeout' | 'cancelled' | 'submitted'
  namespace: string
  name: string
  rayClusterName: string
  submissionId: string
  submissionIdConfirmed: boolean
  submissionMode: string
  jobStatus: string
  deploymentStatus: string
  reason: string
  message: string
  durationSeconds: number
  /** How the action reached the Dashboard. */
  dashboardVia: string
  /** The head Service, for the port-forward command (from status.dashboardURL). */
  headService: string
  /** Shown when the job did not pass. */
  lastLogLines: string[]
  /** One line saying why the step failed, if it did. */
  failure?: string
}

/** The outcome in a few words, as the job summary and the pull request comment head it. */
export const OUTCOME_HEADLINE: Record<SubmitReport['outcome'], string> = {
  passed: '✅ succeeded',
  failed: '❌ failed',
  timeout: '⏱️ timed out',
  cancelled: '🛑 cancelled',
  submitted: '🚀 submitted (not waited for)'
}

/** A name as a code span: no backtick to end it, no line break (control characters shown escaped). */
const code = (text: string): string => (text ? `\`${escapeControl(text).replace(/`/g, "'")}\`` : '—')
/** A table cell: every line break (\r\n, \r, \n, U+0085, U+2028, U+2029) as <br>, so the row stays one line. */
const cell = (text: string): string => (text ? text.replace(/</g, '&lt;').replace(/\|/g, '\\|').replace(/\r\n|[\r\n\u0085\u2028\u2029]/g, '<br>') : '—')

export function buildSubmitSummary(r: SubmitReport, formatDuration: (seconds: number) => string): string {
  const lines = [`## RayJob ${code(`${r.namespace}/${r.name}`)} ${OUTCOME_HEADLINE[r.outcome]}`, '']
  if (r.failure) lines.push(`> ${cell(r.failure)}`, '')
  lines.push(
    '| | |',
    '|---|---|',
    `| RayJob | ${code(`${r.namespace}/${r.name}`)} |`,
    `| RayCluster | ${code(r.rayClusterName)} |`,
    `| Submission ID | ${code(r.submissionId)}${r.submissionId && !r.submissionIdConfirmed ? ' (not yet listed by the Dashboard)' : ''} |`,
    `| Submission mode | ${cell(r.submissionMode)} |`,
    `| Ray job status | ${cell(r.jobStatus)} |`,
    `| KubeRay deployment status | ${cell(r.deploymentStatus)} |`,
    `| Reason | ${cell(r.reason)} |`,
    `| Message | ${cell(r.message)} |`,
    `| Duration | ${formatDuration(r.durationSeconds)} |`,
    `| Dashboard | ${cell(r.dashboardVia)} |`,
    ''
  )
  lines.push('Read the driver logs (while the RayCluster exists):', '', '```sh', ...logCommands(r), '```', '')
  if (r.outcome !== 'passed' && r.outcome !== 'submitted' && r.lastLogLines.length) {
    lines.push(`<details open><summary>Last ${r.lastLogLines.length} log lines</summary>`, '', '```text', ...r.lastLogLines.map((l) => l.replace(/```/g, "'''")), '```', '', '</details>', '')
  }
  return lines.join('\n')
}

/** The commands a person runs to read the logs: Ray's CLI through a port-forward, and the submitter's logs in K8sJobMode. */
export function logCommands(r: Pick<SubmitReport, 'namespace' | 'name' | 'headService' | 'submissionId' | 'submissionMode'>): string[] {
  const commands = [
    `kubectl -n ${r.namespace} port-forward svc/${r.headService || `<head-service>`} 8265:8265 &`,
    `ray job logs ${r.submissionId} --address http://127.0.0.1:8265`
  ]
  if (r.submissionMode === 'K8sJobMode') commands.push(`kubectl -n ${r.namespace} logs job/${r.name}   # the submitter's copy`)
  return commands
}
