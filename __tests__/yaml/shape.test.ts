// The look at a file before it is parsed (shape.ts): how deep it nests, and which documents are too
// large for `yaml`. It must refuse what would hang or crash `yaml`, and nothing a manifest holds.
import { describe, expect, test } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { MAX_BLOCK_NESTING, MAX_YAML_ENTRIES, scanShape } from '../../src/yaml/shape.js'

const lines = (n: number, line: (i: number) => string): string => Array.from({ length: n }, (_, i) => `${line(i)}\n`).join('')

describe('block nesting', () => {
  test('indentation, `- ` items and `? ` keys each open a level; the first place past the limit is given', () => {
    expect(scanShape(lines(200, (i) => `${' '.repeat(i)}a:`)).tooDeep).toEqual({ what: 'block', depth: 200, at: { line: 101, column: 101 }, offset: expect.any(Number) })
    expect(scanShape(`${'- '.repeat(150)}x\n`).tooDeep).toMatchObject({ what: 'block', depth: 151, at: { line: 1, column: 201 } })
    expect(scanShape(`${'? '.repeat(150)}x\n`).tooDeep).toMatchObject({ what: 'block', at: { line: 1, column: 201 } })
    expect(scanShape(`a:\n${lines(120, (i) => `${'  '.repeat(i)}- b:`)}`).tooDeep).toMatchObject({ what: 'block', at: { line: 101, column: 201 } })
  })

  test('a hundred levels pass; what returns to a lower indentation closes its levels', () => {
    expect(scanShape(lines(MAX_BLOCK_NESTING, (i) => `${' '.repeat(i)}a:`)).tooDeep).toBeUndefined()
    const twice = lines(90, (i) => `${' '.repeat(i)}a:`) + lines(90, (i) => `${' '.repeat(i)}b:`)
    expect(scanShape(twice).tooDeep).toBeUndefined()
  })

  test('the text of a block scalar is not structure, however it is indented', () => {
    const script = lines(300, (i) => `    ${' '.repeat(i)}x`)
    for (const header of ['key: |', 'key: >-', 'key: |+2 # a comment', '- |', '- key: |']) {
      expect({ header, shape: scanShape(`${header}\n${script}next: 1\n`) }).toEqual({ header, shape: { tooDeep: undefined, bulky: [] } })
    }
    // ... up to the first line not indented past the key: from there, structure again.
    expect(scanShape(`key: |\n  text\n${'- '.repeat(150)}x\n`).tooDeep).toMatchObject({ at: { line: 3 } })
    // A `|` that is not a block scalar's header does not hide anything.
    expect(scanShape(`key: a | b\n  ${'- '.repeat(150)}x\n`).tooDeep).toMatchObject({ at: { line: 2 } })
  })

  test('a document marker ends every level, even a block scalar', () => {
    const half = lines(80, (i) => `${' '.repeat(i)}a:`)
    expect(scanShape(`${half}---\n${half}`).tooDeep).toBeUndefined()
    expect(scanShape(`--- |\n${lines(200, (i) => ' '.repeat(i) + 'x')}---\n${'- '.repeat(150)}x\n`).tooDeep).toMatchObject({ at: { line: 203 } })
  })

  test('with CRLF line ends too', () => {
    expect(scanShape(lines(150, (i) => `${' '.repeat(i)}a:\r`)).tooDeep).toMatchObject({ at: { line: 101, column: 101 } })
  })
})

describe('flow nesting', () => {
  test('brackets count across lines (as in JSON), but not in a block scalar', () => {
    expect(scanShape(`a: ${'['.repeat(150)}\n${']'.repeat(150)}\n`).tooDeep).toMatchObject({ what: 'flow', depth: 150, at: { line: 1, column: 104 } })
    expect(scanShape(`a: |\n  ${'['.repeat(150)}\n`).tooDeep).toBeUndefined()
  })

  test('pretty-printed JSON nested 60 deep is fine', () => {
    let json = '1'
    for (let i = 0; i < 60; i++) json = JSON.stringify({ a: JSON.parse(json), b: [1, 2] })
    expect(scanShape(JSON.stringify(JSON.parse(json), null, 2)).tooDeep).toBeUndefined()
  })
})

describe('documents too large for `yaml`', () => {
  test('counted per document: lines with content, items, commas and brackets; comments and block scalars do not count', () => {
    const big = lines(MAX_YAML_ENTRIES + 1, (i) => `k${i}: 1`)
    expect(scanShape(`a: 1\n---\n# note\n${big}`).bulky).toEqual([{ from: 16, at: { line: 4, column: 1 }, entries: MAX_YAML_ENTRIES + 1 }])
    expect(scanShape(`a: [${'1,'.repeat(MAX_YAML_ENTRIES)}]\n`).bulky).toHaveLength(1)
    expect(scanShape(`${lines(MAX_YAML_ENTRIES, () => '# x')}a: |\n${lines(MAX_YAML_ENTRIES, () => '  text')}`).bulky).toEqual([])
    const half = lines(MAX_YAML_ENTRIES / 2 + 1, (i) => `k${i}: 1`)
    expect(scanShape(`${half}---\n${half}`).bulky).toEqual([])
  })

  test("KubeRay's RayJob CRD, a large document the fast reader leaves to `yaml`, is neither too deep nor too large", () => {
    const crd = readFileSync(fileURLToPath(new URL('../../scripts/bench/kuberay/rayjobs-v1.7.0.yaml', import.meta.url)), 'utf8')
    expect(scanShape(crd)).toEqual({ tooDeep: undefined, bulky: [] })
  })
})
