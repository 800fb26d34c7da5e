// The SARIF 2.1.0 log GitHub code scanning reads: one result per finding, at a workspace-relative
// file and a 1-based line and column, every rule described once.
import { describe, expect, test } from '@jest/globals'
import { sortFindings } from '../../src/lint/findings.js'
import { ALL_RULES } from '../../src/lint/rules/registry.js'
import { buildSarif, sarifUri } from '../../src/report/sarif.js'
import { sampleFindings } from './testing.js'

interface SarifLog {
  $schema: string
  version: string
  runs: {
    tool: { driver: { name: string; version: string; rules: { id: string; shortDescription: { text: string }; help: { text: string }; defaultConfiguration: { level: string } }[] } }
    results: {
      ruleId: string
      ruleIndex: number
      level: string
      message: { text: string }
      locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number; startColumn: number } } }[]
      suppressions?: { kind: string }[]
      properties?: { kuberayReports?: boolean }
    }[]
  }[]
}

const log = (findings = sortFindings(sampleFindings())): SarifLog => JSON.parse(JSON.stringify(buildSarif(findings, ALL_RULES, '0.1.0')))

describe('buildSarif', () => {
  test('a SARIF 2.1.0 log with one run of this tool', () => {
    const sarif = log()
    expect(sarif.version).toBe('2.1.0')
    expect(sarif.$schema).toBe('https://json.schemastore.org/sarif-2.1.0.json')
    expect(sarif.runs).toHaveLength(1)
    expect(sarif.runs[0].tool.driver).toMatchObject({ name: 'rayjob-action', version: '0.1.0' })
  })

  test('every finding is a result: rule id, level, message, one location with a relative uri and a 1-based region', () => {
    const results = log().runs[0].results
    expect(
      results.map((r) => ({
        ruleId: r.ruleId,
        level: r.level,
        uri: r.locations[0].physicalLocation.artifactLocation.uri,
        region: r.locations[0].physicalLocation.region,
        locations: r.locations.length
      }))
    ).toEqual([
      { ruleId: 'selector-with-suspend', level: 'error', uri: 'jobs/train.yaml', region: { startLine: 8, startColumn: 3 }, locations: 1 },
      { ruleId: 'suspend-requires-shutdown', level: 'error', uri: 'jobs/train.yaml', region: { startLine: 8, startColumn: 3 }, locations: 1 },
      { ruleId: 'schema-unknown-field', level: 'error', uri: 'jobs/train.yaml', region: { startLine: 9, startColumn: 3 }, locations: 1 },
      { ruleId: 'schema-unknown-field', level: 'error', uri: 'jobs/train.yaml', region: { startLine: 20, startColumn: 3 }, locations: 1 },
      { ruleId: 'api-version-deprecated', level: 'warning', uri: 'legacy/old.yaml', region: { startLine: 1, startColumn: 13 }, locations: 1 }
    ])
  })

  test('the message is the finding and its fix', () => {
    const result = log().runs[0].results.find((r) => r.ruleId === 'suspend-requires-shutdown')!
    expect(result.message.text).toBe(
      'The RayJob spec is invalid: a RayJob with shutdownAfterJobFinishes set to false is not allowed to be suspended\nFix: Set spec.shutdownAfterJobFinishes: true, or remove spec.suspend.'
    )
    expect(result.properties).toEqual({ kuberayReports: true })
  })

  test('a silenced finding is a result with an in-source suppression', () => {
    const silenced = log().runs[0].results.filter((r) => r.suppressions)
    expect(silenced.map((r) => [r.ruleId, r.locations[0].physicalLocation.region.startLine, r.suppressions])).toEqual([
      ['schema-unknown-field', 20, [{ kind: 'inSource', justification: 'rayjob-lint-disable comment in the manifest' }]]
    ])
  })

  test('every rule is in tool.driver.rules, and each result points at its rule', () => {
    const run = log().runs[0]
    expect(run.tool.driver.rules.map((r) => r.id)).toEqual(ALL_RULES.map((r) => r.id))
    for (const result of run.results) expect(run.tool.driver.rules[result.ruleIndex].id).toBe(result.ruleId)
    expect(run.tool.driver.rules.find((r) => r.id === 'name-too-long')).toMatchObject({
      shortDescription: { text: 'RayJob name longer than 47 characters' },
      defaultConfiguration: { level: 'error' }
    })
  })

  test('notes are level note', () => {
    const note = { ...sampleFindings()[0], ruleId: 'file-template', severity: 'note' as const }
    expect(log([note]).runs[0].results[0].level).toBe('note')
  })

  test('a clean run is still a valid log, with an empty results array', () => {
    const sarif = log([])
    expect(sarif.runs[0].results).toEqual([])
    expect(sarif.runs[0].tool.driver.rules).toHaveLength(ALL_RULES.length)
  })

  test('the uri is percent-encoded segment by segment: a colon is not a scheme, a # not a fragment (issue 9, defect 11)', () => {
    const [finding] = sampleFindings()
    const uris = ['b:c.yaml', 'jobs/a b#1?x=%2F.yaml', 'jobs/ü/ja.yaml', 'jobs/a\nb.yaml'].map(
      (file) => log([{ ...finding, file }]).runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri
    )
    expect(uris).toEqual(['b%3Ac.yaml', 'jobs/a%20b%231%3Fx%3D%252F.yaml', 'jobs/%C3%BC/ja.yaml', 'jobs/a%0Ab.yaml'])
    for (const uri of uris) expect(new URL(uri, 'file:///src/').pathname.startsWith('/src/')).toBe(true)
  })
})

describe('sarifUri', () => {
  test("'/' separates segments everywhere; on Windows '\\' does too", () => {
    expect(sarifUri('deploy/jobs/a.yaml', '/')).toBe('deploy/jobs/a.yaml')
    expect(sarifUri('deploy\\jobs\\a b.yaml', '\\')).toBe('deploy/jobs/a%20b.yaml')
    expect(sarifUri('deploy/jobs\\a.yaml', '\\')).toBe('deploy/jobs/a.yaml')
    // Elsewhere a backslash is part of the name.
    expect(sarifUri('deploy\\a.yaml', '/')).toBe('deploy%5Ca.yaml')
  })
})
