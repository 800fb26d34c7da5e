// Property-based: the fast reader and `yaml` (with the one set of options, options.ts) read the
// documents fast-check generates alike: the same values, the same places for every key, value and
// item (and for paths that miss), the same comments, the same problems. The documents are written
// the way manifests are (block mappings and sequences, compact `- key:` items, one-line flow
// collections, plain, quoted and block scalars, empty values, comments everywhere, several
// documents, LF or CRLF), with the scalars YAML 1.1 reads its own way (yes/no/on/off, ~, octal,
// hex, base-60 and dates kept as strings, .inf, .nan) and, now and then, what the fast reader
// leaves to `yaml` (anchors, aliases, merge keys, non-string and repeated keys, tags, a key
// indented under a plain scalar): a file mixes documents each reader reads.
// RAYJOB_YAML_RUNS sets the number of files (1,000 by default, about a second).
import { describe, expect, test } from '@jest/globals'
import fc from 'fast-check'
import { DECLINED, loadDocument, splitDocuments } from '../../src/yaml/fast.js'
import { expectSameReading } from './reading.js'

const RUNS = Number(process.env.RAYJOB_YAML_RUNS ?? 1000)

type Scalar = { kind: 'scalar'; style: 'plain' | 'single' | 'double' | 'literal' | 'folded' | 'empty'; text: string; chomp: '' | '-' }
type Node =
  | Scalar
  | { kind: 'map'; flow: boolean; entries: Entry[] }
  | { kind: 'seq'; flow: boolean; items: { node: Node; comment?: string; anchor?: string }[] }
  | { kind: 'alias'; name: string }
interface Entry {
  key: string
  node: Node
  /** A comment after the key's line (`key: value # c`, `key: # c`). */
  comment?: string
  /** A comment line above the key, at its indentation or not. */
  above?: { text: string; indent: number }
  anchor?: string
}

/** Plain scalars of every YAML 1.1 kind, and strings that look like one. */
const PLAIN = [
  'x', 'RayJob', 'ray.io/v1', 'python main.py --epochs 3', 'rayproject/ray:2.52.0', 'a b', 'http://h:80/p', 'é', '日本',
  'yes', 'Yes', 'YES', 'no', 'No', 'on', 'On', 'off', 'OFF', 'y', 'Y', 'n', 'N', 'true', 'False', 'TRUE', 'yEs',
  '~', 'null', 'Null', 'NULL', '0', '-0', '+7', '-12', '0755', '09', '0o17', '0x1F', '-0x1f', '0b101', '1_000',
  '1.5', '.5', '-.5', '1e3', '1E-3', '6.8523015e+5', '.inf', '-.Inf', '.NaN', '1.0', '0.',
  '2024-01-01', '2001-12-14T21:59:43Z', '12:30', '1:20:30.5', '190:20:30', '=', '-x', '--flag', 'a#b', 'a:b', '<<'
]
/** Keys: strings mostly; a few that `yaml` reads as something else (the fast reader leaves those to it). */
const KEYS = ['apiVersion', 'kind', 'metadata', 'name', 'spec', 'entrypoint', 'backoffLimit', 'a', 'b', 'c', 'with space', 'ray.io/x', 'k-1', '"quoted"', "'single'", '"a: b"']
const ODD_KEYS = ['yes', '1', '~', 'null', '<<', '0x1']
const TEXT = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...PLAIN) },
  { weight: 1, arbitrary: fc.string({ unit: fc.constantFrom(...'ab :#-\'"\\é\n'), maxLength: 12 }) }
)
const COMMENT = fc.constantFrom(' note', ' rayjob-lint-disable head-no-dashboard-port', '', ' a: [b] # c', ' trailing  ')
const sometimes = <T>(arbitrary: fc.Arbitrary<T>, weight: number): fc.Arbitrary<T | undefined> =>
  fc.oneof({ weight: 100 - weight, arbitrary: fc.constant(undefined) }, { weight, arbitrary })

const scalar: fc.Arbitrary<Node> = fc.record({
  kind: fc.constant('scalar' as const),
  style: fc.constantFrom('plain', 'plain', 'plain', 'single', 'double', 'literal', 'folded', 'empty') as fc.Arbitrary<Scalar['style']>,
  text: TEXT,
  chomp: fc.constantFrom('' as const, '-' as const)
})

const { node } = fc.letrec<{ node: Node; map: Node; seq: Node }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    { weight: 8, arbitrary: scalar },
    { weight: 3, arbitrary: tie('map') },
    { weight: 2, arbitrary: tie('seq') },
    { weight: 1, arbitrary: fc.constantFrom('a', 'nowhere').map((name): Node => ({ kind: 'alias', name })) }
  ),
  map: fc.record({
    kind: fc.constant('map' as const),
    flow: fc.oneof({ weight: 5, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
    entries: fc.uniqueArray(
      fc.record({
        key: fc.oneof({ weight: 30, arbitrary: fc.constantFrom(...KEYS) }, { weight: 1, arbitrary: fc.constantFrom(...ODD_KEYS) }),
        node: tie('node'),
        comment: sometimes(COMMENT, 15),
        above: sometimes(fc.record({ text: COMMENT, indent: fc.integer({ min: 0, max: 4 }) }), 10),
        anchor: sometimes(fc.constant('a'), 3)
      }),
      { minLength: 1, maxLength: 5, selector: (e) => e.key }
    )
  }),
  seq: fc.record({
    kind: fc.constant('seq' as const),
    flow: fc.oneof({ weight: 5, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
    items: fc.array(fc.record({ node: tie('node'), comment: sometimes(COMMENT, 10), anchor: sometimes(fc.constant('a'), 3) }), { minLength: 1, maxLength: 4 })
  })
}))

/** A scalar as flow text (a block scalar, or a multi-line one, becomes a quoted one). */
function flowScalar(n: Scalar): string {
  const text = n.style === 'empty' ? '' : n.text
  if (n.style === 'plain' && !text.includes('\n')) return text
  if (n.style === 'single') return `'${text.replaceAll("'", "''").replaceAll('\n', ' ')}'`
  return JSON.stringify(text)
}

function flow(n: Node): string {
  if (n.kind === 'alias') return `*${n.name}`
  if (n.kind === 'scalar') return flowScalar(n)
  if (n.kind === 'seq') return `[${n.items.map((i) => flow(i.node)).join(', ')}]`
  return `{${n.entries.map((e) => `${e.key}: ${flow(e.node)}`).join(', ')}}`
}

const isBlockCollection = (n: Node): boolean => (n.kind === 'map' || n.kind === 'seq') && !n.flow && (n.kind === 'map' ? n.entries.length : n.items.length) > 0

/**
 * The lines of a value after `prefix` (`key:` or `-` at `indent`, the anchor in it): on the same
 * line for a scalar or flow collection, below it (more indented) for a block collection.
 */
function valueLines(prefix: string, n: Node, indent: number, comment: string | undefined, out: string[]): void {
  const tail = comment === undefined ? '' : ` #${comment}`
  if (isBlockCollection(n)) {
    out.push(prefix + tail)
    block(n, indent + 2, out)
    return
  }
  if (n.kind === 'scalar' && (n.style === 'literal' || n.style === 'folded')) {
    out.push(`${prefix} ${n.style === 'literal' ? '|' : '>'}${n.chomp}${tail}`)
    for (const line of n.text.split('\n')) out.push(line.trim() === '' ? '' : ' '.repeat(indent + 2) + line)
    return
  }
  if (n.kind === 'scalar' && n.style === 'empty') {
    out.push(prefix + tail)
    return
  }
  out.push(`${prefix} ${flow(n)}${tail}`)
}

/** A block collection at `indent` (anything else is written in flow style). */
function block(n: Node, indent: number, out: string[]): void {
  const pad = ' '.repeat(indent)
  if (n.kind === 'map' && !n.flow) {
    for (const e of n.entries) {
      if (e.above) out.push(`${' '.repeat(e.above.indent)}#${e.above.text}`)
      valueLines(`${pad}${e.key}:${e.anchor ? ` &${e.anchor}` : ''}`, e.node, indent, e.comment, out)
    }
  } else if (n.kind === 'seq' && !n.flow) {
    for (const item of n.items) {
      const first = out.length
      if (item.node.kind === 'map' && !item.node.flow && item.node.entries.length > 0 && !item.anchor) {
        // `- key: value`, the other keys below the first.
        block(item.node, indent + 2, out)
        out[first] = `${pad}- ${out[first].slice(indent + 2)}`
      } else {
        valueLines(`${pad}-${item.anchor ? ` &${item.anchor}` : ''}`, item.node, indent, item.comment, out)
      }
    }
  } else {
    out.push(pad + flow(n))
  }
}

/** A file of one or more documents, with LF or CRLF line ends. */
const file = fc
  .record({
    documents: fc.array(fc.record({ root: node, marker: fc.constantFrom('---', '--- # doc', '---'), top: sometimes(COMMENT, 20) }), { minLength: 1, maxLength: 3 }),
    crlf: fc.boolean(),
    // Now and then a key indented under a plain scalar: a syntax error go-yaml and `yaml` both report.
    broken: sometimes(fc.nat(), 5)
  })
  .map(({ documents, crlf, broken }) => {
    const lines: string[] = []
    documents.forEach((doc, i) => {
      if (i > 0) lines.push(doc.marker)
      if (doc.top !== undefined) lines.push(`#${doc.top}`)
      block(doc.root.kind === 'map' || doc.root.kind === 'seq' ? doc.root : { kind: 'map', flow: false, entries: [{ key: 'value', node: doc.root }] }, 0, lines)
    })
    if (broken !== undefined) {
      const at = broken % lines.length
      if (/^ *[a-z]+: [a-z]+$/.test(lines[at])) lines.splice(at + 1, 0, `${' '.repeat(lines[at].search(/\S/) + 3)}shutdownAfterJobFinishes: true`)
    }
    const text = `${lines.join('\n')}\n`
    return crlf ? text.replaceAll('\n', '\r\n') : text
  })

describe('the fast reader and yaml read generated documents alike', () => {
  test(`${RUNS} generated files: the same values, places, comments and problems with either reader`, () => {
    let chunks = 0
    let fastRead = 0
    fc.assert(
      fc.property(file, (text) => {
        expectSameReading(text)
        const lf = text.replaceAll('\r\n', '\n')
        for (const chunk of splitDocuments(lf) ?? []) {
          chunks++
          if (loadDocument(lf, chunk.from, chunk.to) !== DECLINED) fastRead++
        }
      }),
      { numRuns: RUNS }
    )
    // Not a vacuous pass: most documents are the fast reader's to read.
    if (process.env.RAYJOB_YAML_SHARE) console.log(`the fast reader read ${fastRead} of ${chunks} documents`)
    expect(fastRead / chunks).toBeGreaterThan(0.5)
  })
})
