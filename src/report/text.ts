// Findings → the command line's text and JSON forms. Pure.
import type { Finding, LintCounts } from '../lint/findings.js'

/**
 * `file:line:col severity id message`, one finding a line, for editors and pre-commit hooks. A
 * message over several lines is joined with spaces; any other control character, in the message or
 * the file name, is shown escaped (see escapeControl).
 */
export function formatText(findings: Finding[]): string {
  return findings
    .filter((f) => !f.suppressed)
    .map((f) => `${escapeControl(f.file)}:${f.line}:${f.column} ${f.severity} ${escapeControl(f.ruleId)} ${escapeControl(f.message.replace(/[^\S\r]*\r?\n[^\S\r]*/g, ' '))}${f.kuberayReports ? ' [reported by KubeRay]' : ''}`)
    .join('\n')
}

// C0 controls but tab, DEL, C1 controls (NEL among them), LINE SEPARATOR and PARAGRAPH SEPARATOR.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u2028\u2029]/g
const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r' }

/**
 * `text` with its control characters shown, not acted on: \n and \r as `\n` and `\r`, the rest as
 * `\u001b` and the like. A file name or a key then cannot end a line (a runner or a hook reading
 * the output would take what follows for a line of its own) or move the cursor. Pure.
 */
export function escapeControl(text: string): string {
  return text.replace(CONTROL, (c) => NAMED[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
}

export function formatCounts(counts: LintCounts): string {
  const suppressed = counts.suppressed ? `, ${counts.suppressed} suppressed` : ''
  return `${checked(counts)} checked: ${counts.errors} error(s), ${counts.warnings} warning(s), ${counts.notes} note(s)${suppressed}`
}

/** "3 RayJob manifest(s)", or with other kinds "5 KubeRay manifest(s) (3 RayJob, 1 RayCluster, 1 RayCronJob)". */
function checked(counts: LintCounts): string {
  const present = Object.entries(counts.kinds ?? {}).filter(([, n]) => n > 0)
  if (present.every(([kind]) => kind === 'RayJob')) return `${counts.manifests} RayJob manifest(s)`
  return `${counts.manifests} KubeRay manifest(s) (${present.map(([kind, n]) => `${n} ${kind}`).join(', ')})`
}

export function formatJson(findings: Finding[], counts: LintCounts): string {
  return JSON.stringify({ ...counts, results: findings }, null, 2)
}
