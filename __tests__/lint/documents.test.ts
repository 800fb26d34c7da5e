// The files the lint does not read, and why: what the lint sees of a file before its YAML is read.
import { describe, expect, test } from '@jest/globals'
import { MAX_FILE_BYTES, readManifest, readManifestSync } from '../../src/lint/documents.js'

const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text)

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
    expect(readManifestSync('f.yaml', bytes)).toEqual({ documents: [], problems: [{ kind, message, position: { line: 1, column: 1 } }] })
  })

  test('brackets nested deeper than any manifest are refused at once, where they pass the limit', () => {
    const deep = (n: number) => utf8(`kind: RayJob\nspec:\n  metadata: ${'['.repeat(n)}${']'.repeat(n)}\n`)
    const started = performance.now()
    expect(readManifestSync('f.yaml', deep(1_500_000)).problems).toEqual([
      { kind: 'yaml-too-deep', message: 'brackets nest 1500000 deep here (more than 100, which no manifest needs); the file was not parsed', position: { line: 3, column: 113 } }
    ])
    expect(performance.now() - started).toBeLessThan(2000)
    expect(readManifestSync('f.yaml', deep(100)).problems).toEqual([])
  })

  test('a {{ inside a string is not a template', () => {
    const { documents, problems } = readManifestSync('f.yaml', utf8('kind: RayJob\nspec:\n  entrypoint: python -c "print(\'{{}}\'.format())"\n'))
    expect(problems).toEqual([])
    expect(documents).toHaveLength(1)
  })

  test('a byte-order mark is dropped before parsing', () => {
    const { documents } = readManifestSync('f.yaml', Uint8Array.from([0xef, 0xbb, 0xbf, ...utf8('kind: RayJob\n')]))
    expect(documents[0].value).toEqual({ kind: 'RayJob' })
    expect(documents[0].locate(['kind'])).toEqual({ line: 1, column: 1 })
  })
})


describe('readManifest, asynchronously', () => {
  test('reads what readManifestSync reads, documents handed over one at a time', async () => {
    const bytes = utf8('kind: RayJob\nmetadata: {name: a}\n---\nbase: &b {x: 1}\nuse: *b\n---\nkind: RayJob\nspec: [unclosed\n')
    const handed: unknown[] = []
    const read = await readManifest('f.yaml', bytes, async (doc) => void handed.push(doc.value))
    const sync = readManifestSync('f.yaml', bytes)
    expect(read.problems).toEqual(sync.problems)
    expect(handed).toEqual(sync.documents.map((d) => d.value))
  })
})
