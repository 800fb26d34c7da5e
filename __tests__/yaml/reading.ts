// Test-only: everything the lint reads of a file, through one reader (fast or reference), so that
// tests can require both readers to read a text alike.
import { isDeepStrictEqual } from 'node:util'
import { expect } from '@jest/globals'
import { isObj } from '../../src/manifest/model.js'
import type { Path } from '../../src/manifest/model.js'
import { readDocumentsSync } from '../../src/yaml/index.js'
import type { YamlReader } from '../../src/yaml/index.js'

/** Every path to a node of the value, and paths that miss (a key or index not there, a path below a scalar). */
export function paths(value: unknown, prefix: Path = [], out: Path[] = []): Path[] {
  out.push(prefix)
  if (Array.isArray(value)) {
    value.forEach((item, i) => paths(item, [...prefix, i], out))
    out.push([...prefix, value.length], [...prefix, 'key'])
  } else if (isObj(value)) {
    for (const [key, child] of Object.entries(value)) paths(child, [...prefix, key], out)
    out.push([...prefix, 'missing-key'], [...prefix, 0])
  } else {
    out.push([...prefix, 'below-a-scalar'])
  }
  return out
}

/** All the lint reads of a file through one reader: problems, and of each document its value, start, comments and where every path is. */
export function reading(text: string, reader: YamlReader) {
  const { documents, problems } = readDocumentsSync('f.yaml', text, undefined, reader)
  return {
    problems,
    documents: documents.map((d) => ({
      index: d.index,
      value: d.value,
      start: d.start,
      comments: d.commentsWith('').sort(),
      places: paths(d.value).map((path) => [path, d.locate(path, 'key'), d.locate(path, 'value')])
    }))
  }
}

/** Both readers read the text alike (toEqual compares numbers with Object.is: -0 is not 0, NaN is NaN). */
export function expectSameReading(text: string): void {
  const fast = reading(text, 'fast')
  const reference = reading(text, 'reference')
  if (!isDeepStrictEqual(fast, reference)) expect({ text, ...fast }).toEqual({ text, ...reference })
}
