// YAML text → documents with positions, and the files that cannot be read: what the lint sees of
// a file before any rule runs.
import { describe, expect, test } from '@jest/globals'
import { MAX_FILE_BYTES, parseText, readManifest } from '../../src/lint/documents.js'
import { ALIAS_BOMB } from './rules/input.cases.js'

const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text)

describe('parseText', () => {
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
    const { documents, problems } = parseText('a.yaml', text)
    expect(problems).toEqual([])
    expect(documents.map((d) => ({ index: d.index, start: d.start, kind: (d.value as { kind: string }).kind }))).toEqual([
      { index: 0, start: { line: 1, column: 1 }, kind: 'ConfigMap' },
      { index: 2, start: { line: 7, column: 1 }, kind: 'RayJob' }
    ])
  })

  test('YAML 1.1 as kubectl reads it: yes is a boolean', () => {
    const { documents } = parseText('a.yaml', text)
    expect(documents[1].value).toMatchObject({ spec: { shutdownAfterJobFinishes: true } })
  })

  test('merge keys are expanded', () => {
    const { documents } = parseText('m.yaml', 'base: &base {image: ray, name: head}\nhead:\n  <<: *base\n  name: ray-head\n')
    expect(documents[0].value).toEqual({ base: { image: 'ray', name: 'head' }, head: { image: 'ray', name: 'ray-head' } })
  })

  test('locate: a key, its value, a list item, and the nearest ancestor of a path that is not there', () => {
    const doc = parseText('a.yaml', text).documents[1]
    expect(doc.locate(['spec', 'entrypoint'])).toEqual({ line: 13, column: 3 })
    expect(doc.locate(['spec', 'entrypoint'], 'value')).toEqual({ line: 13, column: 15 })
    expect(doc.locate(['spec', 'rayClusterSpec', 'headGroupSpec'])).toEqual({ line: 11, column: 1 })
    const list = parseText('l.yaml', 'items:\n  - a: 1\n  - b: 2\n').documents[0]
    expect(list.locate(['items', 1, 'b'], 'value')).toEqual({ line: 3, column: 8 })
    expect(list.locate(['items', 5])).toEqual({ line: 1, column: 1 })
  })

  test('comments: every comment of the document with the word, but not the text of a block scalar', () => {
    const doc = parseText('c.yaml', '# top note\nkind: RayJob # inline note\nspec:\n  # above note\n  runtimeEnvYAML: |\n    # not a comment: note\n    pip: [a]\n').documents[0]
    expect(doc.commentsWith('note').map((c) => c.trim()).sort()).toEqual(['above note', 'inline note', 'top note'])
    expect(doc.commentsWith('nothing')).toEqual([])
  })

  test('a syntax error is a problem at its line; the other documents are still read', () => {
    const { documents, problems } = parseText('e.yaml', 'kind: RayJob\nspec:\n  a: [1, 2\n---\nkind: RayJob\nmetadata: {name: ok}\n')
    expect(problems).toEqual([
      { kind: 'yaml-syntax', message: 'Flow sequence in block collection must be sufficiently indented and end with a ]', position: { line: 4, column: 1 } }
    ])
    expect(documents.map((d) => d.value)).toEqual([{ kind: 'RayJob', metadata: { name: 'ok' } }])
  })

  test('one anchor used hundreds of times is ordinary YAML, not a bomb', () => {
    const groups = Array.from({ length: 300 }, (_, i) => `  - name: g${i}\n    image: *img`).join('\n')
    const { documents, problems } = parseText('many.yaml', `kind: RayJob\nimage: &img rayproject/ray:2.9.0\ngroups:\n${groups}\n`)
    expect(problems).toEqual([])
    expect((documents[0].value as { groups: { image: string }[] }).groups[299].image).toBe('rayproject/ray:2.9.0')
  })

  test.each(['fast', 'reference'] as const)('a node that contains itself through an alias is invalid, as go-yaml says, not a stack overflow (%s reader)', (reader) => {
    const text = 'kind: RayJob\nspec: &s\n  x: *s\n---\na: &a {<<: *a}\n---\nb: &b [*b]\n---\nc: *nowhere\n'
    expect(parseText('self.yaml', text, undefined, reader)).toEqual({
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
    const { problems } = parseText('dup.yaml', text)
    expect(performance.now() - started).toBeLessThan(3000)
    expect(problems).toEqual([
      { kind: 'yaml-syntax', message: 'Map keys must be unique', position: { line: 20002, column: 1 } },
      { kind: 'yaml-syntax', message: 'Map keys must be unique', position: { line: 20004, column: 13 } },
      { kind: 'yaml-syntax', message: 'Map keys must be unique', position: { line: 20006, column: 3 } }
    ])
  })

  test('an alias bomb is refused at once instead of expanded', () => {
    const started = performance.now()
    const { documents, problems } = parseText('bomb.yaml', ALIAS_BOMB)
    expect(performance.now() - started).toBeLessThan(1000)
    expect(documents).toEqual([])
    expect(problems.map((p) => p.kind)).toEqual(['yaml-aliases'])
  })
})

describe('readManifest: files that are not read', () => {
  test.each([
    ['empty', new Uint8Array(0), 'file-empty', 'the file is empty; nothing to check'],
    ['white space', utf8(' \n\t\n'), 'file-empty', 'the file holds only white space; nothing to check'],
    ['above the size limit', new Uint8Array(MAX_FILE_BYTES + 1).fill(0x20), 'file-too-large', 'the file is 4.0 MiB, above the 4 MiB limit for a manifest; it was not parsed'],
    ['binary', Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x00]), 'file-binary', 'the file contains NUL bytes: it looks binary, not YAML; it was not parsed'],
    ['UTF-16', Uint8Array.from([0xff, 0xfe, 0x6b, 0x00]), 'file-encoding', 'the file is UTF-16 (it starts with a UTF-16 byte order mark); Kubernetes manifests must be UTF-8, so it was not parsed'],
    ['Latin-1', Uint8Array.from([0x61, 0x3a, 0x20, 0xe9, 0x0a]), 'file-encoding', 'the file is not valid UTF-8 (Kubernetes manifests must be UTF-8); it was not parsed'],
    ['a Helm template', utf8('kind: RayJob\nspec:\n  {{- toYaml .Values.spec | nindent 2 }}\n'), 'file-template', 'the file is a template ({{ ... }} placeholders as values): lint the rendered manifests instead; it was not checked']
  ])('%s', (_name, bytes, kind, message) => {
    expect(readManifest('f.yaml', bytes)).toEqual({ documents: [], problems: [{ kind, message, position: { line: 1, column: 1 } }] })
  })

  test('brackets nested deeper than any manifest are refused at once, where they pass the limit', () => {
    const deep = (n: number) => utf8(`kind: RayJob\nspec:\n  metadata: ${'['.repeat(n)}${']'.repeat(n)}\n`)
    const started = performance.now()
    expect(readManifest('f.yaml', deep(1_500_000)).problems).toEqual([
      { kind: 'yaml-too-deep', message: 'brackets nest 1500000 deep here (more than 100, which no manifest needs); the file was not parsed', position: { line: 3, column: 113 } }
    ])
    expect(performance.now() - started).toBeLessThan(2000)
    expect(readManifest('f.yaml', deep(100)).problems).toEqual([])
  })

  test('a {{ inside a string is not a template', () => {
    const { documents, problems } = readManifest('f.yaml', utf8('kind: RayJob\nspec:\n  entrypoint: python -c "print(\'{{}}\'.format())"\n'))
    expect(problems).toEqual([])
    expect(documents).toHaveLength(1)
  })

  test('a byte-order mark is dropped before parsing', () => {
    const { documents } = readManifest('f.yaml', Uint8Array.from([0xef, 0xbb, 0xbf, ...utf8('kind: RayJob\n')]))
    expect(documents[0].value).toEqual({ kind: 'RayJob' })
    expect(documents[0].locate(['kind'])).toEqual({ line: 1, column: 1 })
  })
})

describe('scalars as Kubernetes reads them (go-yaml v2 into interface{})', () => {
  test.each(['fast', 'reference'] as const)('keeps dates and base-60 numbers as strings, with the %s reader', (reader) => {
    const text = 'a: 2024-01-01\nb: 2001-12-14T21:59:43Z\nc: 12:30\nd: 1:20:30.5\ne: yes\nf: 0755\ng: 1_000\n'
    const [doc] = parseText('x.yaml', text, undefined, reader).documents
    expect(doc.value).toEqual({ a: '2024-01-01', b: '2001-12-14T21:59:43Z', c: '12:30', d: '1:20:30.5', e: true, f: 493, g: 1000 })
  })
})
