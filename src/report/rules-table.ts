// The rules as a Markdown table, for the README (kept true by __tests__/readme.test.ts). Pure.
import type { RuleInfo } from '../lint/rules/types.js'

const SOURCE: Record<RuleInfo['source'], string> = {
  kuberay: 'KubeRay',
  schema: 'CRD schema',
  stuck: 'stuck job',
  input: 'input'
}

export function rulesTable(rules: readonly RuleInfo[]): string {
  const rows = rules.map((r) => {
    const versions = r.until ? `${r.since} – before ${r.until}` : `${r.since}+`
    const from = r.reference.url ? `[${r.reference.text}](${r.reference.url})` : SOURCE[r.source]
    return `| \`${r.id}\` | ${from} | ${versions} | ${r.severity} | ${r.title.replace(/\|/g, '\\|')} |`
  })
  return ['| rule | from | KubeRay | severity | what |', '|---|---|---|---|---|', ...rows].join('\n')
}
