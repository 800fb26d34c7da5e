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

/** GitHub shows this many annotations of each kind (error, warning, notice) per step; the rest are dropped. */
export const ANNOTATIONS_PER_LEVEL = 10

/** The first `perLevel` annotations of each level, in order, and how many were left out. Pure. */
export function firstOfEachLevel(annotations: Annotation[], perLevel = ANNOTATIONS_PER_LEVEL): { shown: Annotation[]; left: number } {
  const seen: Record<Severity, number> = { error: 0, warning: 0, note: 0 }
  const shown = annotations.filter((a) => seen[a.level]++ < perLevel)
  return { shown, left: annotations.length - shown.length }
}
