// Findings → a SARIF 2.1.0 log (GitHub code scanning reads it). Pure.
import { sep } from 'node:path'
import type { Log, ReportingDescriptor, Result } from 'sarif'
import type { Finding, Severity } from '../lint/findings.js'
import type { RuleInfo } from '../lint/rules/types.js'

export const TOOL_NAME = 'rayjob-action'
export const TOOL_URI = 'https://github.com/rayjob-action/rayjob-action'

const LEVEL: Record<Severity, Result.level> = { error: 'error', warning: 'warning', note: 'note' }

/**
 * A workspace-relative path as a SARIF uri (a relative URI reference, RFC 3986): each segment
 * percent-encoded, so that `b:c.yaml` is not read as scheme `b:` nor `#` as a fragment, and the
 * segments joined with '/'. Where the path separator is '\\' (Windows) it separates segments too.
 */
export function sarifUri(file: string, separator: string = sep): string {
  return file
    .split(separator === '\\' ? /[\\/]/ : '/')
    .map(encodeURIComponent)
    .join('/')
}

export function buildSarif(findings: Finding[], rules: readonly RuleInfo[], toolVersion: string): Log {
  const ruleIndex = new Map(rules.map((r, i) => [r.id, i]))
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: TOOL_NAME,
            informationUri: TOOL_URI,
            version: toolVersion,
            rules: rules.map((r): ReportingDescriptor => ({
              id: r.id,
              name: r.id,
              shortDescription: { text: r.title },
              help: { text: r.hint },
              helpUri: r.reference.url ?? `${TOOL_URI}#rules`,
              defaultConfiguration: { level: LEVEL[r.severity] },
              properties: { source: r.source, reference: r.reference.text, since: r.since, ...(r.until ? { until: r.until } : {}) }
            }))
          }
        },
        results: findings.map((f): Result => ({
          ruleId: f.ruleId,
          ...(ruleIndex.has(f.ruleId) ? { ruleIndex: ruleIndex.get(f.ruleId) } : {}),
          level: LEVEL[f.severity],
          message: { text: `${f.message}\nFix: ${f.hint}` },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: sarifUri(f.file), uriBaseId: '%SRCROOT%' },
                region: { startLine: f.line, startColumn: f.column }
              },
              ...(f.object ? { logicalLocations: [{ name: f.object, fullyQualifiedName: f.field ? `${f.object}:${f.field}` : f.object }] } : {})
            }
          ],
          ...(f.suppressed ? { suppressions: [{ kind: 'inSource', justification: 'rayjob-lint-disable comment in the manifest' }] } : {}),
          ...(f.kuberayReports ? { properties: { kuberayReports: true } } : {})
        }))
      }
    ]
  }
}
