// Findings → GitHub annotations (file, line, column, title). Pure: the runner glue emits them.
import type { Finding, Severity } from '../lint/findings.js'
import type { RuleInfo } from '../lint/rules/types.js'

export interface Annotation {
  level: Severity
  message: string
  title: string
  file: string
  startLine: number
  startColumn: number
}

export function buildAnnotations(findings: Finding[], ruleInfo: (id: string) => RuleInfo | undefined): Annotation[] {
  return findings
    .filter((f) => !f.suppressed)
    .map((f) => ({
      level: f.severity,
      title: `${f.ruleId}: ${ruleInfo(f.ruleId)?.title ?? f.ruleId}${f.kuberayReports ? ' (KubeRay reports this)' : ''}`,
      message: `${f.object ? `${f.object}: ` : ''}${f.message}\nFix: ${f.hint}`,
      file: f.file,
      startLine: f.line,
      startColumn: f.column
    }))
}
