// Findings → the job summary (Markdown): every finding, grouped by file, since the runner shows
// only 10 annotations of each kind per step. Pure.
import type { Finding, LintCounts } from '../lint/findings.js'
import type { FeatureGates } from '../lint/versions.js'
import { formatCounts } from './text.js'

/** Past this many rows the summary points to the SARIF log: a step summary is capped at 1 MiB. */
const MAX_ROWS = 1000
const ICON = { error: '❌ error', warning: '⚠️ warning', note: 'ℹ️ note' }

/** Text safe in a table cell: no raw HTML, no column break, new lines as <br> (added after escaping, so they stay tags). */
const cell = (text: string): string => text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/</g, '&lt;').replace(/\r?\n/g, '<br>')

export interface SummaryContext {
  kuberayVersion: string
  featureGates: FeatureGates
  files: number
  sarifFile?: string
}

export function buildLintSummary(findings: Finding[], counts: LintCounts, context: SummaryContext): string {
  const lines: string[] = ['## RayJob lint', '']
  const enabled = Object.entries(context.featureGates).filter(([, on]) => on).map(([name]) => name)
  lines.push(`${formatCounts(counts)} in ${context.files} file(s), against KubeRay ${context.kuberayVersion} (gates on: ${enabled.join(', ') || 'none'}).`, '')
  const active = findings.filter((f) => !f.suppressed)
  if (active.length === 0) lines.push('No problems found. ✅', '')
  let rows = 0
  for (const [file, items] of groupByFile(active)) {
    if (rows >= MAX_ROWS) break
    lines.push(`### \`${file}\``, '', '| Line | Severity | Rule | Object | Message | Fix |', '|---:|---|---|---|---|---|')
    for (const f of items) {
      if (rows++ >= MAX_ROWS) break
      const reported = f.kuberayReports ? ' **(KubeRay reports this one)**' : ''
      lines.push(`| ${f.line}:${f.column} | ${ICON[f.severity]} | \`${f.ruleId}\` | ${cell(f.object ?? '')} | ${cell(f.message)}${reported} | ${cell(f.hint)} |`)
    }
    lines.push('')
  }
  if (active.length > MAX_ROWS) lines.push(`…and ${active.length - MAX_ROWS} more${context.sarifFile ? ` (all are in ${context.sarifFile})` : ''}.`, '')
  const suppressed = findings.filter((f) => f.suppressed)
  if (suppressed.length) {
    lines.push(`<details><summary>${suppressed.length} finding(s) silenced by <code>rayjob-lint-disable</code> comments</summary>`, '')
    lines.push('| File | Line | Rule | Message |', '|---|---:|---|---|')
    for (const f of suppressed.slice(0, MAX_ROWS)) lines.push(`| \`${f.file}\` | ${f.line} | \`${f.ruleId}\` | ${cell(f.message)} |`)
    lines.push('', '</details>', '')
  }
  return lines.join('\n')
}

function groupByFile(findings: Finding[]): Map<string, Finding[]> {
  const groups = new Map<string, Finding[]>()
  for (const f of findings) {
    if (!groups.has(f.file)) groups.set(f.file, [])
    groups.get(f.file)!.push(f)
  }
  return groups
}
