// What the GitHub reports say, and the hidden markers that let a rerun find what an earlier run
// wrote: a review comment per finding (its rule in the marker; its place is where GitHub keeps the
// comment), the review's body, the check run's output and annotations, and the submit step's
// sticky comment. Pure.
import { createHash } from 'node:crypto'
import type { Finding, Severity } from '../lint/findings.js'
import type { RuleInfo } from '../lint/rules/types.js'
import { OUTCOME_HEADLINE } from '../report/submit-summary.js'
import type { SubmitReport } from '../report/submit-summary.js'
import { TOOL_URI } from '../report/sarif.js'
import { escapeControl } from '../report/text.js'

export type RuleLookup = (id: string) => RuleInfo | undefined

/** Where the README's rules table is, for the linter's own rules (KubeRay's rules link to KubeRay's code), as in SARIF. */
const RULES_URL = `${TOOL_URI}#rules`

const FINDING_MARKER = /<!-- rayjob-action:finding rule=([A-Za-z0-9._-]+)(?: fixed=([0-9a-f]+))? -->/
const REVIEW_MARKER = '<!-- rayjob-action:review -->'

/** The rule of a review comment this action wrote, and whether it was marked fixed; undefined for anyone else's comment. */
export function parseFindingMarker(body: string | null | undefined): { rule: string; fixed?: string } | undefined {
  const m = FINDING_MARKER.exec(body ?? '')
  return m ? { rule: m[1], ...(m[2] ? { fixed: m[2] } : {}) } : undefined
}

/** A finding's identity on a pull request: the same rule at the same place is the same comment. */
export function findingKey(path: string, line: number, rule: string): string {
  return `${path}\u0000${line}\u0000${rule}`
}

const ICON: Record<Severity, string> = { error: '❌', warning: '⚠️', note: 'ℹ️' }
const WORD: Record<Severity, string> = { error: 'Error', warning: 'Warning', note: 'Note' }

/**
 * Text from a manifest or a message, safe in Markdown: no HTML, no @mention or #reference that
 * notifies someone, no line break that ends a table cell or list item, no control characters.
 */
export function markdownText(text: string): string {
  return escapeControl(text)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([@#])(?=[\w-])/g, '$1\u200b')
    .replace(/([\\`*_[\]|~])/g, '\\$1')
}

/** A name as a code span (inside which Markdown escapes would show): no backtick to end it, control characters shown escaped. */
const code = (text: string): string => (text ? `\`${escapeControl(text).replace(/`/g, "'")}\`` : '—')
/** Text for a table cell or a quote: each line made safe, the lines joined with <br> so the row stays one line. */
const cell = (text: string): string => (text ? text.split(/\r\n|[\r\n\u0085\u2028\u2029]/).map(markdownText).join('<br>') : '—')

/** A rule id as a link to where the rule is defined. */
function ruleLink(f: Finding, rules: RuleLookup): string {
  const info = rules(f.ruleId)
  return `[\`${f.ruleId}\`](${info?.reference.url ?? RULES_URL})${info ? `: ${markdownText(info.title)}` : ''}`
}

/** The review comment on a finding's line. */
export function findingCommentBody(f: Finding, rules: RuleLookup): string {
  const lines = [`${ICON[f.severity]} **${WORD[f.severity]}** ${ruleLink(f, rules)}${f.kuberayReports ? ' (KubeRay reports this)' : ''}`, '']
  lines.push(`${f.object ? `${markdownText(f.object)}: ` : ''}${markdownText(f.message)}`, '')
  if (f.hint) lines.push(`**Fix:** ${markdownText(f.hint)}`, '')
  lines.push(`<!-- rayjob-action:finding rule=${f.ruleId} -->`)
  return lines.join('\n')
}

/** A comment whose finding is gone, rewritten so: the original kept folded, the marker saying since which commit. */
export function fixedCommentBody(original: string, rule: string, sha: string): string {
  const short = sha.slice(0, 7)
  const kept = original.replace(FINDING_MARKER, '').trim()
  return [`✅ Fixed in ${short}: the lint no longer reports \`${rule}\` here.`, '', '<details><summary>What it reported</summary>', '', kept, '', '</details>', '', `<!-- rayjob-action:finding rule=${rule} fixed=${short} -->`].join('\n')
}

export interface ReviewSummary {
  /** New comments in this review. */
  posted: number
  /** Findings left out of the comments (more than a review takes), listed in the body. */
  overflow: readonly Finding[]
  /** Findings on the diff already commented by an earlier run. */
  alreadyCommented: number
  /** Findings the filter reports whose line is not in the diff: annotations of the step. */
  offDiff: number
  /** Findings outside the filter: only in the job summary and SARIF. */
  filteredOut: number
  /** Earlier comments marked fixed by this run. */
  fixed: number
  filter: string
  runUrl?: string
}

export function reviewBody(s: ReviewSummary, rules: RuleLookup): string {
  const lines = [`**RayJob lint**: ${s.posted + s.overflow.length} new finding(s) on this pull request's changes (filter: \`${s.filter}\`).`]
  const more: string[] = []
  if (s.alreadyCommented) more.push(`${s.alreadyCommented} already commented`)
  if (s.fixed) more.push(`${s.fixed} earlier comment(s) marked fixed`)
  if (s.offDiff) more.push(`${s.offDiff} on lines outside the diff (annotations of the step)`)
  if (s.filteredOut) more.push(`${s.filteredOut} outside the filter (job summary and SARIF only)`)
  if (more.length) lines.push('', `${more.join('; ')}.`)
  if (s.overflow.length) {
    lines.push('', `<details><summary>${s.overflow.length} more, not commented (a review takes at most ${s.posted})</summary>`, '')
    for (const f of s.overflow) lines.push(`- ${code(`${f.file}:${f.line}`)} ${ICON[f.severity]} ${ruleLink(f, rules)}: ${markdownText(f.message)}`)
    lines.push('', '</details>')
  }
  if (s.runUrl) lines.push('', `[The workflow run](${s.runUrl})`)
  lines.push(REVIEW_MARKER)
  return lines.join('\n')
}

export interface CheckRunAnnotation {
  path: string
  start_line: number
  end_line: number
  start_column?: number
  end_column?: number
  annotation_level: 'notice' | 'warning' | 'failure'
  message: string
  title: string
  raw_details?: string
}

const LEVEL: Record<Severity, CheckRunAnnotation['annotation_level']> = { error: 'failure', warning: 'warning', note: 'notice' }

/** The Checks API's limits: 50 annotations a request, 64 KiB of text a field. */
export const ANNOTATIONS_PER_REQUEST = 50
const MAX_FIELD = 65_535

/** A finding as a check run annotation (plain text: the Checks API renders none of it as Markdown). */
export function checkRunAnnotation(f: Finding, rules: RuleLookup): CheckRunAnnotation {
  const info = rules(f.ruleId)
  const message = `${f.object ? `${f.object}: ` : ''}${f.message}${f.hint ? `\nFix: ${f.hint}` : ''}`
  return {
    path: f.file,
    start_line: f.line,
    end_line: f.line,
    start_column: f.column,
    end_column: f.column,
    annotation_level: LEVEL[f.severity],
    message: cut(message, MAX_FIELD),
    title: cut(`${f.ruleId}: ${info?.title ?? f.ruleId}${f.kuberayReports ? ' (KubeRay reports this)' : ''}`, 255),
    ...(info?.reference.url ? { raw_details: `Rule: ${info.reference.text} (${info.reference.url})` } : {})
  }
}

/** `items` in runs of `size`, at least one (empty) run. */
export function batches<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = []
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size))
  return out.length ? out : [[]]
}

export interface CheckRunSummary {
  errors: number
  warnings: number
  notes: number
  /** How many findings judge the step (the filter's, on a pull request). */
  judged: number
  /** e.g. "on lines this pull request adds (filter: added)"; undefined when every finding judges. */
  scope?: string
  failed: boolean
  runUrl?: string
}

export function checkRunOutput(s: CheckRunSummary): { title: string; summary: string } {
  const title = s.errors + s.warnings + s.notes === 0 ? 'No findings' : `${s.errors} error(s), ${s.warnings} warning(s), ${s.notes} note(s)`
  const lines = [`Every finding of the RayJob lint is an annotation of this check run (${s.errors + s.warnings + s.notes} in all).`]
  if (s.scope) lines.push('', `${s.judged} of them ${s.scope} judge the step.`)
  lines.push('', s.failed ? 'The step fails on them (fail-on).' : 'The step passes.')
  if (s.runUrl) lines.push('', `[The workflow run](${s.runUrl}) has the job summary with every finding.`)
  return { title, summary: lines.join('\n') }
}

/** What the sticky comment says of a submit step. */
export interface StickyFacts {
  /** Identifies the comment across reruns: the workflow, job, step and manifest it is about. */
  key: string
  /** The manifest the RayJob came from (file:line). */
  manifest: string
  /** The job summary's facts, once the step followed a RayJob. */
  report?: SubmitReport
  /** Why there is no report: the lint failed, or the step failed before it followed the RayJob. */
  notSubmitted?: string
  runUrl?: string
  /** e.g. "CI / train, attempt 2" */
  runLabel: string
  formatDuration: (seconds: number) => string
}


/** The hidden line that finds the sticky comment again: a hash of its key, so that no name in it can end the HTML comment. */
export function stickyMarker(key: string): string {
  return `<!-- rayjob-action:submit key=${createHash('sha256').update(key).digest('hex').slice(0, 20)} -->`
}


export function stickyCommentBody(f: StickyFacts): string {
  const r = f.report
  const lines = [stickyMarker(f.key)]
  if (!r) {
    lines.push(`### RayJob from ${code(f.manifest)}: not submitted`, '', `> ${cell(f.notSubmitted ?? 'the step failed before it created the RayJob')}`, '')
  } else {
    lines.push(`### RayJob ${code(`${r.namespace}/${r.name}`)} ${OUTCOME_HEADLINE[r.outcome]}`, '')
    if (r.failure) lines.push(`> ${cell(r.failure)}`, '')
    const status = [r.jobStatus, r.deploymentStatus && `KubeRay: ${r.deploymentStatus}`].filter(Boolean).join(' · ')
    lines.push(
      '| | |',
      '|---|---|',
      `| Name | ${code(r.name)} |`,
      `| Namespace | ${code(r.namespace)} |`,
      `| Submission ID | ${code(r.submissionId)}${r.submissionId && !r.submissionIdConfirmed ? ' (not yet listed by the Dashboard)' : ''} |`,
      `| Status | ${cell(status)} |`,
      `| Reason | ${cell(r.reason)} |`,
      `| Duration | ${f.formatDuration(r.durationSeconds)} |`,
      `| Manifest | ${code(f.manifest)} |`,
      ''
    )
  }
  lines.push(f.runUrl ? `[The log of ${markdownText(f.runLabel)}](${f.runUrl}) · updated on every rerun` : `${markdownText(f.runLabel)} · updated on every rerun`)
  return lines.join('\n')
}

function cut(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text
}
