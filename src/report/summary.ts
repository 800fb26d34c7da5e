// Findings → the job summary (Markdown): every finding, grouped by file, since the runner shows
// only 10 annotations of each kind per step. Pure.
import type { Finding, LintCounts } from '../lint/findings.js'
import type { FeatureGates } from '../lint/versions.js'
import { escapeControl, formatCounts } from './text.js'

/** Past this many rows the summary points to the SARIF log. */
const MAX_ROWS = 1000
/**
 * The lint's share of the step summary, in UTF-8 bytes: GitHub takes at most 1 MiB (1,048,576
 * bytes) per step, and a submit step adds its own summary after this one.
 */
export const MAX_SUMMARY_BYTES = 900 * 1024
/** Room kept for the closing lines and the notes on what was left out. */
const RESERVE_BYTES = 2048
/** A cell longer than this many characters is cut (a message quoting a huge key, say). */
const MAX_CELL = 2000
const CUT = '… (cut)'
const ICON = { error: '❌ error', warning: '⚠️ warning', note: 'ℹ️ note' }
const TABLE = ['| Line | Severity | Rule | Object | Message | Fix |', '|---:|---|---|---|---|---|']
const SILENCED_TABLE = ['| File | Line | Rule | Message |', '|---|---:|---|---|']

/** `text` cut to MAX_CELL characters (never inside a surrogate pair), with a note when it was. */
function cut(text: string): string {
  if (text.length <= MAX_CELL) return text
  const end = /[\uDC00-\uDFFF]/.test(text[MAX_CELL]) ? MAX_CELL - 1 : MAX_CELL
  return text.slice(0, end)
}

/**
 * Text safe in a table cell: no raw HTML, no column break, every line break (\r\n, \r, \n, U+0085,
 * U+2028, U+2029) as <br> (added after escaping, so they stay tags).
 */
const cell = (text: string): string => {
  const short = cut(text)
  const escaped = short
    .replace(/\\/g, '\\\\')
    .replace(/\|/g, '\\|')
    .replace(/</g, '&lt;')
    .replace(/\r\n|[\r\n\u0085\u2028\u2029]/g, '<br>')
  return short === text ? escaped : `${escaped}${CUT}`
}

/**
 * `text` (a file name) as a Markdown code span that nothing in it can end or leave: on one line
 * (control characters shown escaped), fenced by more backticks than any run of them inside, padded
 * when it starts or ends with a backtick or a space (CommonMark strips one space each side). Inside
 * a code span Markdown and HTML are not read.
 */
export function codeSpan(text: string): string {
  const shown = escapeControl(text)
  let longest = 0
  for (const run of shown.match(/`+/g) ?? []) longest = Math.max(longest, run.length)
  const fence = '`'.repeat(longest + 1)
  const pad = /^[` ]|[` ]$/.test(shown) ? ' ' : ''
  return `${fence}${pad}${shown}${pad}${fence}`
}

/** A code span in a table cell: GFM splits cells at `|` even inside code spans, unless escaped. */
const codeCell = (text: string): string => codeSpan(text).replace(/\|/g, '\\|')

export interface SummaryContext {
  kuberayVersion: string
  featureGates: FeatureGates
  files: number
  sarifFile?: string
}

/** Markdown lines that stop being added once they would pass a size in UTF-8 bytes. */
class Lines {
  readonly lines: string[] = []
  private bytes = 0
  constructor(private readonly limit: number) {}
  private static size(lines: string[]): number {
    let n = 0
    for (const line of lines) n += Buffer.byteLength(line, 'utf8') + 1
    return n
  }
  /** Whether `lines` fit with `reserve` bytes to spare after them. */
  fits(lines: string[], reserve = RESERVE_BYTES): boolean {
    return this.bytes + Lines.size(lines) + reserve <= this.limit
  }
  add(...lines: string[]): void {
    for (const line of lines) this.lines.push(line)
    this.bytes += Lines.size(lines)
  }
}

export function buildLintSummary(findings: Finding[], counts: LintCounts, context: SummaryContext, maxBytes = MAX_SUMMARY_BYTES): string {
  const out = new Lines(maxBytes)
  out.add('## RayJob lint', '')
  const enabled = Object.entries(context.featureGates).filter(([, on]) => on).map(([name]) => name)
  out.add(`${formatCounts(counts)} in ${context.files} file(s), against KubeRay ${context.kuberayVersion} (gates on: ${enabled.join(', ') || 'none'}).`, '')
  const active = findings.filter((f) => !f.suppressed)
  if (active.length === 0) out.add('No problems found. ✅', '')
  const allAreIn = context.sarifFile ? `; all are in ${codeSpan(context.sarifFile)}` : ''

  let rows = 0
  let full = false
  for (const [file, items] of groupByFile(active)) {
    let open = false
    for (const f of items) {
      const reported = f.kuberayReports ? ' **(KubeRay reports this one)**' : ''
      const row = `| ${f.line}:${f.column} | ${ICON[f.severity]} | \`${f.ruleId}\` | ${cell(f.object ?? '')} | ${cell(f.message)}${reported} | ${cell(f.hint)} |`
      const lines = open ? [row] : [`### ${codeSpan(file)}`, '', ...TABLE, row]
      if (rows >= MAX_ROWS || !out.fits(lines)) {
        full = true
        break
      }
      out.add(...lines)
      open = true
      rows++
    }
    if (open) out.add('')
    if (full) break
  }
  if (rows < active.length) out.add(`…and ${active.length - rows} more, not shown here to keep the job summary within GitHub's 1 MiB limit${allAreIn}.`, '')

  const suppressed = findings.filter((f) => f.suppressed)
  const closing = ['', '</details>', '']
  if (suppressed.length && out.fits([])) {
    out.add(`<details><summary>${suppressed.length} finding(s) silenced by <code>rayjob-lint-disable</code> comments</summary>`, '', ...SILENCED_TABLE)
    let shown = 0
    for (const f of suppressed) {
      const row = `| ${codeCell(f.file)} | ${f.line} | \`${f.ruleId}\` | ${cell(f.message)} |`
      if (shown >= MAX_ROWS || !out.fits([row, ...closing])) break
      out.add(row)
      shown++
    }
    if (shown < suppressed.length) out.add('', `…and ${suppressed.length - shown} more silenced${allAreIn}.`)
    out.add(...closing)
  }
  return out.lines.join('\n')
}

function groupByFile(findings: Finding[]): Map<string, Finding[]> {
  const groups = new Map<string, Finding[]>()
  for (const f of findings) {
    if (!groups.has(f.file)) groups.set(f.file, [])
    groups.get(f.file)!.push(f)
  }
  return groups
}
