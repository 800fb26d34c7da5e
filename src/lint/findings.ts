// What the linter reports. Everything downstream (annotations, summary, SARIF, text) reads this shape.
import type { RayKind } from '../manifest/model.js'

export type Severity = 'error' | 'warning' | 'note'

/** Where a rule comes from: KubeRay's own validation, the CRD schema, a runtime trap KubeRay does not check, or reading the file. */
export type RuleSource = 'kuberay' | 'schema' | 'stuck' | 'input'

export interface Finding {
  ruleId: string
  severity: Severity
  /** KubeRay's own message where KubeRay has one. */
  message: string
  /** One line saying how to fix it. */
  hint: string
  /** Workspace-relative file path. */
  file: string
  /** 1-based. */
  line: number
  /** 1-based. */
  column: number
  /** Field path in the document, e.g. spec.rayClusterSpec.workerGroupSpecs[0].minReplicas. */
  field?: string
  /** The object the finding is about, e.g. "RayJob team-a/train". */
  object?: string
  /** True for the one error KubeRay itself would report for this document (it stops at the first). */
  kuberayReports?: boolean
  /** Silenced by a comment in the manifest: kept for the summary, never fails the run. */
  suppressed?: boolean
}

const ORDER: Record<Severity, number> = { error: 0, warning: 1, note: 2 }

export function bySeverity(a: Severity, b: Severity): number {
  return ORDER[a] - ORDER[b]
}

/** Stable order for every report: file, then line, then column. */
export function sortFindings(findings: Finding[]): Finding[] {
  return [...findings].sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column || a.ruleId.localeCompare(b.ruleId))
}

/** KubeRay objects checked, by kind. */
export type KindCounts = Record<RayKind, number>

export const noKinds = (): KindCounts => ({ RayJob: 0, RayCluster: 0, RayService: 0, RayCronJob: 0 })

export interface LintCounts {
  /** KubeRay objects checked (of every kind). */
  manifests: number
  /** The same, by kind (absent where only a number was known). */
  kinds?: KindCounts
  findings: number
  errors: number
  warnings: number
  notes: number
  suppressed: number
}

export function countFindings(findings: Finding[], checked: number | KindCounts): LintCounts {
  const active = findings.filter((f) => !f.suppressed)
  const kinds = typeof checked === 'number' ? undefined : checked
  return {
    manifests: kinds ? Object.values(kinds).reduce((a, b) => a + b, 0) : (checked as number),
    ...(kinds ? { kinds } : {}),
    findings: active.length,
    errors: active.filter((f) => f.severity === 'error').length,
    warnings: active.filter((f) => f.severity === 'warning').length,
    notes: active.filter((f) => f.severity === 'note').length,
    suppressed: findings.length - active.length
  }
}
