// YAML text → documents with positions and comments, and the problems that kept documents from
// being read (src/yaml/documents.ts).
import { describe, expect, test } from '@jest/globals'
import { readDocumentsSync } from '../../src/yaml/index.js'
import { ALIAS_BOMB } from '../lint/rules/input.cases.js'

describe('readDocumentsSync', () => {
  const text = `apiVersion: v1
kind: ConfigMap
metadata: {name: a}
---
---
# the second real document
apiVersion: ray.io/v1
kind: RayJob
metadata:
  name: b
spec:
  shutdownAfterJobFinishes: yes
  entrypoint: python x.py
`

  test('every document, empty ones skipped, each with its index in the file and where it starts', () => {
    const { documents, problems } = readDocumentsSync('a.yaml', text)
    expect(problems).toEqual([])
    expect(documents.map((d) => ({ index: d.index, start: d.start, kind: (d.value as { kind: string }).kind }))).toEqual([
      { index: 0, start: { line: 1, column: 1 }, kind: 'ConfigMap' },
      { index: 2, start: { line: 7, column: 1 }, kind: 'RayJob' }
    ])
  })

  test('YAML 1.1 as kubectl reads it: yes is a boolean', () => {
    const { documents } = readDocumentsSync('a.yaml', text)
    expect(documents[1].value).toMatchObject({ spec: { shutdownAfterJobFinishes: true } })
  })

  test('merge keys are expanded', () => {
    const { documents } = readDocumentsSync('m.yaml', 'base: &base {image: ray, name: head}\nhead:\n  <<: *base\n  name: ray-head\n')
    expect(documents[0].value).toEqual({ base: { image: 'ray', name: 'head' }, head: { image: 'ray', name: 'ray-head' } })
  })

  test('locate: a key, its value, a list item, and the nearest ancestor of a path that is not there', () => {
    const doc = readDocumentsSync('a.yaml', text).documents[1]
    expect(doc.locate(['spec', 'entrypoint'])).toEqual({ line: 13, column: 3 })
    expect(doc.locate(['spec', 'entrypoint'], 'value')).toEqual({ line: 13, column: 15 })
    expect(doc.locate(['spec', 'rayClusterSpec', 'headGroupSpec'])).toEqual({ line: 11, column: 1 })
    const list = readDocumentsSync('l.yaml', 'items:\n  - a: 1\n  - b: 2\n').documents[0]
    expect(list.locate(['items', 1, 'b'], 'value')).toEqual({ line: 3, column: 8 })
    expect(list.locate(['items', 5])).toEqual({ line: 1, column: 1 })
  })

  test('comments: every comment of the document with the word, but not the text of a block scalar', () => {
    const doc = readDocumentsSync('c.yaml', '# top note\nkind: RayJob # inline note\nspec:\n  # above note\n  runtimeEnvYAML: |\n    # not a comment: note\n    pip: [a]\n').documents[0]
    expect(doc.commentsWith('note').map((c) => c.trim()).sort()).toEqual(['above note', 'inline note', 'top note'])
    expect(doc.commentsWith('nothing')).toEqual([])
  })

  test('a syntax error is a problem at its line; the other documents are still read', () => {
    const { documents, problems } = readDocumentsSync('e.yaml', 'kind: RayJob\nspec:\n  a: [1, 2\n---\nkind: RayJob\nmetadata: {name: ok}\n')
    expect(problems).toEqual([
      { kind: 'yaml-syntax', message: 'Flow sequence in block collection must be sufficiently indented and end with a ]', position: { line: 4, column: 1 } }
    ])
    expect(documents.map((d) => d.value)).toEqual([{ kind: 'RayJob', metadata: { name: 'ok' } }])
  })

  test('one anchor used hundreds of times is ordinary YAML, not a bomb', () => {
    const groups = Array.from({ length: 300 }, (_, i) => `  - name: g${i}\n    image: *img`).join('\n')
    const { documents, problems } = readDocumentsSync('many.yaml', `kind: RayJob\nimage: &img rayproject/ray:2.9.0\ngroups:\n${groups}\n`)
    expect(problems).toEqual([])
    expect((documents[0].value as { groups: { image: string }[] }).groups[299].image).toBe('rayproject/ray:2.9.0')
  })

  test.each(['fast', 'reference'] as const)('a node that contains itself through an alias is invalid, as go-yaml says, not a stack overflow (%s reader)', (reader) => {
    const text = 'kind: RayJob\nspec: &s\n  x: *s\n---\na: &a {<<: *a}\n---\nb: &b [*b]\n---\nc: *nowhere\n'
    expect(readDocumentsSync('self.yaml', text, undefined, reader)).toEqual({
      documents: [],
      problems: [
        { kind: 'yaml-syntax', message: "Alias *s is inside the node its anchor marks: the anchor's value contains itself", position: { line: 3, column: 6 } },
        { kind: 'yaml-syntax', message: "Alias *a is inside the node its anchor marks: the anchor's value contains itself", position: { line: 5, column: 12 } },
        { kind: 'yaml-syntax', message: "Alias *b is inside the node its anchor marks: the anchor's value contains itself", position: { line: 7, column: 8 } },
        { kind: 'yaml-syntax', message: 'Unresolved alias (the anchor must be set before the alias): nowhere', position: { line: 9, column: 4 } }
      ]
    })
  })

  test('duplicate keys read by `yaml` (a document with an anchor) are found where `yaml` finds them, in linear time', () => {
    const keys = Array.from({ length: 20_000 }, (_, i) => `k${i}: 1`).join('\n')
    const text = `a: &a 1\n${keys}\nk5: 2\nb:\n  x: {y: 1, y: 2}\n  1: a\n  0x1: b\n  "1": c\n  .nan: d\n  .NaN: e\n`
    const started = performance.now()
    const { problems } = readDocumentsSync('dup.yaml', text)
    expect(performance.now() - started).toBeLessThan(3000)
    expect(problems).toEqual([
      { kind: 'yaml-syntax', message: 'Map keys must be unique', position: { line: 20002, column: 1 } },
      { kind: 'yaml-syntax', message: 'Map keys must be unique', position: { line: 20004, column: 13 } },
      { kind: 'yaml-syntax', message: 'Map keys must be unique', position: { line: 20006, column: 3 } }
    ])
  })

  test('an alias bomb is refused at once instead of expanded', () => {
    const started = performance.now()
    const { documents, problems } = readDocumentsSync('bomb.yaml', ALIAS_BOMB)
    expect(performance.now() - started).toBeLessThan(1000)
    expect(documents).toEqual([])
    expect(problems.map((p) => p.kind)).toEqual(['yaml-aliases'])
  })
})

describe('scalars as Kubernetes reads them (go-yaml v2 into interface{})', () => {
  test.each(['fast', 'reference'] as const)('keeps dates and base-60 numbers as strings, with the %s reader', (reader) => {
    const text = 'a: 2024-01-01\nb: 2001-12-14T21:59:43Z\nc: 12:30\nd: 1:20:30.5\ne: yes\nf: 0755\ng: 1_000\n'
    const [doc] = readDocumentsSync('x.yaml', text, undefined, reader).documents
    expect(doc.value).toEqual({ a: '2024-01-01', b: '2001-12-14T21:59:43Z', c: '12:30', d: '1:20:30.5', e: true, f: 493, g: 1000 })
  })
})
