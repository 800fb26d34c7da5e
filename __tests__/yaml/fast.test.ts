// The fast reader (src/yaml/fast.ts) against `yaml`, the reference: on every fixture, example,
// the bench's generated documents, hand-written edge cases and thousands of random documents, both
// readers must give the same documents (values, where they start, their comments, where every key,
// value and item is) and the same problems; and the fast reader must really read the common
// manifests. equivalence.test.ts checks the same on documents fast-check generates;
// lint-readers.test.ts compares the findings.
import { isDeepStrictEqual } from 'node:util'
import { describe, expect, test } from '@jest/globals'
import { Composer, Parser } from 'yaml'
import { EDGE_CASES, benchFiles, manifestFiles, randomDocument } from './fast.cases.js'
import { expectSameReading } from './reading.js'
import { DECLINED, loadDocument, splitDocuments } from '../../src/yaml/fast.js'
import { KUBERNETES_YAML } from '../../src/yaml/index.js'

/**
 * For each document the fast reader reads: `yaml` reads that document alone without errors and with
 * the same value, and in the whole file too when the file has no errors (a file with errors is read
 * by `yaml` alone: expectSameReading checks that).
 */
function disagreements(text: string): string[] {
  const chunks = splitDocuments(text)
  if (!chunks) return []
  const whole = yamlDocuments(text)
  const wholeIsValid = whole.every((doc) => doc.errors.length === 0)
  const out: string[] = []
  chunks.forEach((chunk, i) => {
    const source = text.includes('\r') ? text.slice(chunk.from, chunk.to).replaceAll('\r\n', '\n') : text
    const fast = source === text ? loadDocument(text, chunk.from, chunk.to) : loadDocument(source)
    if (fast === DECLINED) return
    const alone = yamlDocuments(text.slice(chunk.from, chunk.to))
    const checks: [string, (typeof alone)[number] | undefined][] = [['alone', alone[0]]]
    if (alone.length > 1) out.push(`document ${i} alone: ${alone.length} documents`)
    if (wholeIsValid) checks.push(['in the file', whole[i]])
    for (const [what, doc] of checks) {
      // A text of comments only is no document to `yaml`, and null to the fast reader: nothing either way.
      const value = !doc ? null : doc.errors.length === 0 ? doc.toJS({ maxAliasCount: 100 }) : { errors: doc.errors.map((e) => e.message) }
      if (!isDeepStrictEqual(value ?? null, fast.value)) out.push(`document ${i} ${what}: yaml ${JSON.stringify(value)}, fast ${JSON.stringify(fast.value)}`)
    }
  })
  if (wholeIsValid && whole.length !== chunks.length && whole.length > 0) out.push(`${chunks.length} chunks, ${whole.length} documents`)
  return out
}

function yamlDocuments(text: string) {
  const composer = new Composer({ ...KUBERNETES_YAML, uniqueKeys: true, prettyErrors: false, logLevel: 'error' })
  return [...composer.compose(new Parser().parse(text))]
}

/** The share of documents the fast reader reads itself (not left to `yaml`). */
function fastShare(texts: string[]): number {
  let read = 0
  let all = 0
  for (const text of texts) {
    for (const chunk of splitDocuments(text) ?? []) {
      all++
      if (loadDocument(text, chunk.from, chunk.to) !== DECLINED) read++
    }
  }
  return read / all
}

const crlf = (text: string): string => text.replaceAll('\n', '\r\n')

describe('the fast reader reads what yaml reads', () => {
  test('hand-written edge cases, with LF and CRLF line ends', () => {
    for (const text of EDGE_CASES) {
      expectSameReading(text)
      expectSameReading(crlf(text))
      expect(disagreements(text)).toEqual([])
    }
  })

  test('KubeRay manifests, examples and the bench seeds, with LF and CRLF line ends', () => {
    for (const text of manifestFiles()) {
      expectSameReading(text)
      expectSameReading(crlf(text))
      expect(disagreements(text)).toEqual([])
    }
  })

  test("the bench's generated documents", () => {
    for (const text of benchFiles()) {
      expectSameReading(text)
      expect(disagreements(text)).toEqual([])
    }
  })

  test('1,500 random documents (seeded): the same reading, and nothing the fast reader reads that yaml reads otherwise', () => {
    for (let seed = 1; seed <= 1500; seed++) {
      const text = randomDocument(seed)
      expect({ seed, disagreements: disagreements(text) }).toEqual({ seed, disagreements: [] })
      expectSameReading(text)
    }
  })
})

describe('the fast reader reads the common manifests itself', () => {
  test("every bench document and nearly every KubeRay manifest (those with anchors or templates go to yaml)", () => {
    expect(fastShare(benchFiles())).toBe(1)
    expect(fastShare(manifestFiles())).toBeGreaterThan(0.85)
  })

  test('the YAML manifests are written in', () => {
    const common = [
      'a: b\n',
      'a: yes\nb: 1\nc: 1.5\nd: ~\ne: "q"\nf: \'s\'\n',
      'a:\n  b:\n  - c\n  - d: e\n    f: [1, {g: h}]\n',
      'a: |\n  text\n\n  more\nb: >-\n  folded\n  text\n',
      '# comment\n---\na: 1 # note\n---\nb: 2\n',
      'a: b\r\nc: d\r\n',
      '{"a":1,"b":[true,null]}'
    ]
    for (const text of common) expect({ text, fast: fastShare([text.replaceAll('\r\n', '\n')]) }).toEqual({ text, fast: 1 })
  })

  test('a file with CRLF line ends is split at its --- lines like any other', () => {
    const text = '# license\r\n---\r\na: 1\r\n--- # second\r\nb: 2\r\n'
    expect(splitDocuments(text)?.map((c) => text.slice(c.from, c.to))).toEqual(['# license\r\n---\r\na: 1\r\n', '--- # second\r\nb: 2\r\n'])
  })

  test('a chunk it cannot read whole it leaves to yaml: anchors, tags, multi-line scalars, tabs, duplicate keys', () => {
    for (const text of ['a: &x 1\nb: *x\n', 'a: !!str 1\n', 'a: multi\n  line\n', 'a:\tb\n', 'a: 1\na: 2\n', 'a: "x\n  y"\n', '? a\n: b\n']) {
      expect({ text, value: loadDocument(text) }).toEqual({ text, value: DECLINED })
    }
  })
})
