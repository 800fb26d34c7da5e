// Findings → the command line's text and JSON forms. Pure.
import type { Finding, LintCounts } from '../lint/findings.js'

/** `file:line:col severity id message`, one finding a line, for editors and pre-commit hooks. */
export function formatText(findings: Finding[]): string {
  return findings
    .filter((f) => !f.suppressed)
    .map((f) => `${f.file}:${f.line}:${f.column} ${f.severity} ${f.ruleId} ${f.message.replace(/\s*\n\s*/g, ' ')}${f.kuberayReports ? ' [reported by KubeRay]' : ''}`)
    .join('\n')
}

export function formatCounts(counts: LintCounts): string {
  const suppressed = counts.suppressed ? `, ${counts.suppressed} suppressed` : ''
  return `${counts.manifests} RayJob manifest(s) checked: ${counts.errors} error(s), ${counts.warnings} warning(s), ${counts.notes} note(s)${suppressed}`
}

export function formatJson(findings: Finding[], counts: LintCounts): string {
  return JSON.stringify({ ...counts, results: findings }, null, 2)
}
