// The README's tables are checked against the code, so it stays true. UPDATE_README=1 rewrites the
// rules table in place.
import { describe, expect, it } from '@jest/globals'
import { readFileSync, writeFileSync } from 'node:fs'
import { parse } from 'yaml'
import { ALL_RULES } from '../src/lint/rules/registry.js'
import { rulesSection } from '../src/report/rules-table.js'

const README = new URL('../README.md', import.meta.url)
const readme = () => readFileSync(README, 'utf8')
const action = parse(readFileSync(new URL('../action.yml', import.meta.url), 'utf8')) as {
  inputs: Record<string, { default?: string }>
  outputs: Record<string, unknown>
}

function tableRows(heading: string): Map<string, string[]> {
  const section = readme().split(`## ${heading}\n`)[1]?.split('\n## ')[0] ?? ''
  const rows = new Map<string, string[]>()
  for (const line of section.split('\n')) {
    const cells = line.split(/(?<!\\)\|/).slice(1, -1).map((c) => c.trim())
    const name = /^`([^`]+)`$/.exec(cells[0] ?? '')?.[1]
    if (name) rows.set(name, cells)
  }
  return rows
}

describe('README', () => {
  it('lists every input of action.yml, and only those, with its default', () => {
    const rows = tableRows('Inputs')
    expect([...rows.keys()].sort()).toEqual(Object.keys(action.inputs).sort())
    for (const [name, input] of Object.entries(action.inputs)) {
      if (input.default) expect({ name, default: rows.get(name)![2] }).toEqual({ name, default: expect.stringContaining(`\`${input.default}\``) })
    }
  })

  it('lists every output of action.yml, and only those', () => {
    expect([...tableRows('Outputs').keys()].sort()).toEqual(Object.keys(action.outputs).sort())
  })

  it('lists every lint rule', () => {
    const table = rulesSection(ALL_RULES)
    const current = readme()
    const updated = current.replace(/(<!-- rules:start -->\n)[\s\S]*?(<!-- rules:end -->)/, `$1${table}\n$2`)
    if (process.env.UPDATE_README === '1' && updated !== current) writeFileSync(README, updated)
    expect(current).toContain(table)
  })
})
