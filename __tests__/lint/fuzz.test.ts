// Structure-aware fuzzing of the lint's reading of files (issue 9): fast-check builds YAML files
// (mappings and sequences in block and flow style, scalars in every style, anchors, aliases, merge
// keys, tags, comments, several documents, every kind of line end, random edits) and mutated
// RayJobs (KubeRay's samples and the examples, with values, keys, types and indentation changed),
// and for each file:
//   - the lint neither throws nor reports an internal error (a stack overflow, a TypeError, ...) as a finding;
//   - the fast reader and the `yaml` reference reader give the same documents, problems and findings;
//   - the lint takes at most 1 s a MB (200 ms for the small files here; a slow run is timed again
//     before it counts, so that a busy machine does not fail the test).
// RAYJOB_FUZZ_RUNS sets the number of files in all (5,000 by default, as CI runs it; `npm run
// fuzz` runs 100,000). A failure prints fast-check's seed and the smallest file that fails.
import { describe, expect, test } from '@jest/globals'
import fc from 'fast-check'
import { isDeepStrictEqual } from 'node:util'
import { readManifestSync as readManifest } from '../../src/lint/documents.js'
import type { ReadResult } from '../../src/lint/documents.js'
import { manifestFiles } from '../yaml/fast.cases.js'
import { lintBytes } from '../../src/lint/lint.js'
import type { FileResult, LintOptions } from '../../src/lint/lint.js'
import { defaultFeatureGates } from '../../src/lint/versions.js'

const RUNS = Number(process.env.RAYJOB_FUZZ_RUNS ?? 5000)
/** Each property's share of the runs. */
const SHARE = { documents: 0.45, rayJobs: 0.45, noise: 0.1 }
/** Enough for the runs on a slow machine (a run takes a few milliseconds). */
const TIMEOUT_MS = 60_000 + RUNS * 25

const OPTIONS: LintOptions = { kuberayVersion: '1.7.0', featureGates: defaultFeatureGates('1.7.0') }
const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text)

// ------------------------------------------------------------------------------------------------
// YAML documents, as a tree of nodes whose styles are chosen when generated, rendered afterwards.

interface Props {
  anchor?: string
  tag?: string
  comment?: string
}
type ScalarStyle = 'plain' | 'single' | 'double' | 'literal' | 'folded' | 'multiline'
type YNode =
  | ({ kind: 'scalar'; style: ScalarStyle; text: string; chomp: '' | '-' | '+' } & Props)
  | ({ kind: 'map'; flow: boolean; entries: [string, YNode][]; compactSeq: boolean } & Props)
  | ({ kind: 'seq'; flow: boolean; items: YNode[] } & Props)
  | { kind: 'alias'; name: string }

/** Plain scalars YAML 1.1 and go-yaml read in their own ways, and a few that are errors as plain scalars. */
const PLAIN = [
  'x', 'RayJob', 'ray.io/v1', 'python main.py', 'yes', 'No', 'on', 'OFF', 'y', 'n', '~', 'null', 'Null', 'true', 'False',
  '0', '-1', '+7', '0x1F', '0b101', '017', '0o17', '1_000', '1e3', '1.5', '.5', '-.inf', '.NaN', '2024-01-01', '12:30',
  '1:20:30.5', '-x', '--flag', 'a b', 'a#b', 'http://h:80/p', '<<', '=', '-', '?', 'a: b', '@x', '`x', '%x', '[x', 'x]', 'é', '日本'
]
const KEYS = [
  'apiVersion', 'kind', 'metadata', 'name', 'spec', 'entrypoint', 'backoffLimit', 'rayClusterSpec', 'workerGroupSpecs',
  'a', 'b', 'c', 'yes', '1', '~', '"quoted key"', "'single'", 'with space', 'ray.io/x', '<<', '-k', '? x'
]
const ANCHORS = ['a', 'b', 'c']

/** Some of the time: `arbitrary`, else undefined. */
const sometimes = <T>(arbitrary: fc.Arbitrary<T>, weight: number): fc.Arbitrary<T | undefined> =>
  fc.oneof({ weight: 100 - weight, arbitrary: fc.constant(undefined) }, { weight, arbitrary })

const props: fc.Arbitrary<Props> = fc.record({
  anchor: sometimes(fc.constantFrom(...ANCHORS), 15),
  tag: sometimes(fc.constantFrom('!!str', '!!int', '!!map', '!!seq', '!x', '!!binary', '!!set', '!!omap'), 5),
  comment: sometimes(fc.constantFrom(' note', 'rayjob-lint-disable', ' x: [y]', ''), 15)
})

const scalarText = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...PLAIN) },
  { weight: 2, arbitrary: fc.string({ maxLength: 12 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 8 }) },
  { weight: 1, arbitrary: fc.constantFrom('a\\tb', '\\x41', '\\u00e9', '\\N', '\\L', '\\P', '\\"', "it's", 'a\nb', ' lead', 'trail ', '#x', '{{ x }}', '{{ x') }
)

const scalar: fc.Arbitrary<YNode> = fc
  .record({
    style: fc.constantFrom<ScalarStyle>('plain', 'plain', 'plain', 'single', 'double', 'double', 'literal', 'folded', 'multiline'),
    text: scalarText,
    chomp: fc.constantFrom<'' | '-' | '+'>('', '-', '+'),
    props
  })
  .map(({ props: p, ...s }) => ({ kind: 'scalar', ...s, ...p }))

const mostlyBlock = fc.oneof({ weight: 4, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) })

const alias: fc.Arbitrary<YNode> = fc.constantFrom(...ANCHORS, 'nowhere').map((name) => ({ kind: 'alias', name }))

const { node, map, seq } = fc.letrec<{ node: YNode; map: YNode; seq: YNode }>((tie) => ({
  node: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalar, scalar, alias, tie('map'), tie('seq')),
  map: fc
    .record({
      flow: mostlyBlock,
      entries: fc.array(fc.tuple(fc.constantFrom(...KEYS), tie('node')), { maxLength: 6 }),
      compactSeq: fc.boolean(),
      props
    })
    .map(({ props: p, ...m }) => ({ kind: 'map', ...m, ...p })),
  seq: fc
    .record({ flow: mostlyBlock, items: fc.array(tie('node'), { maxLength: 4 }), props })
    .map(({ props: p, ...s }) => ({ kind: 'seq', ...s, ...p }))
}))

const propsText = (n: Props): string => [n.tag, n.anchor && `&${n.anchor}`].filter(Boolean).join(' ')
const commentText = (n: Props): string => (n.comment ? ` #${n.comment}` : '')
const doubleQuoted = (text: string): string => `"${text.replace(/\\(?![tNLPux"])/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`
const singleQuoted = (text: string): string => `'${text.replace(/'/g, "''").replace(/\n/g, ' ')}'`

/** A scalar in flow style (block scalars are not allowed there). */
function inlineScalar(n: Extract<YNode, { kind: 'scalar' }>): string {
  if (n.style === 'double' || n.style === 'literal') return doubleQuoted(n.text)
  if (n.style === 'single' || n.style === 'folded') return singleQuoted(n.text)
  return n.text.replace(/\n/g, ' ')
}

function flow(n: YNode): string {
  if (n.kind === 'alias') return `*${n.name}`
  const p = propsText(n)
  const pre = p ? `${p} ` : ''
  if (n.kind === 'scalar') return pre + inlineScalar(n)
  if (n.kind === 'seq') return `${pre}[${n.items.map(flow).join(', ')}]`
  return `${pre}{${n.entries.map(([k, v]) => `${k}: ${flow(v)}`).join(', ')}}`
}

/** A node as the value after `key:` or `- ` at indentation `indent`: the text from right after the indicator. */
function value(n: YNode, indent: number): string {
  const pad = ' '.repeat(indent + 2)
  if (n.kind === 'alias') return ` *${n.name}\n`
  const p = propsText(n)
  const pre = p ? ` ${p}` : ''
  if (n.kind === 'scalar') {
    if (n.style === 'literal' || n.style === 'folded') {
      const body = n.text.split('\n').map((line) => (line ? pad + line : ''))
      return `${pre} ${n.style === 'literal' ? '|' : '>'}${n.chomp}${commentText(n)}\n${body.join('\n')}\n`
    }
    if (n.style === 'multiline') return `${pre} ${n.text.replace(/\n/g, ' ') || 'x'}\n${pad}${n.text.split('\n')[0] || 'y'}\n`
    return `${pre} ${inlineScalar(n)}${commentText(n)}\n`
  }
  const empty = n.kind === 'map' ? n.entries.length === 0 : n.items.length === 0
  if (n.flow || empty) return ` ${flow(n)}${commentText(n)}\n`
  // A sequence under a key may sit at the key's own indentation.
  const at = n.kind === 'seq' && n.flow === false && (n as { items: YNode[] }).items.length % 2 === 0 ? indent : indent + 2
  return `${pre}${commentText(n)}\n${block(n, at)}`
}

/** A block collection (or any node) starting on its own line at indentation `indent`. */
function block(n: YNode, indent: number): string {
  const pad = ' '.repeat(indent)
  if (n.kind === 'map' && !n.flow && n.entries.length > 0) return n.entries.map(([k, v]) => `${pad}${k}:${value(v, indent)}`).join('')
  if (n.kind === 'seq' && !n.flow && n.items.length > 0) {
    return n.items
      .map((item) => {
        // `- key: value` with the mapping's other keys below, or `- - x`, or the item on the lines below.
        if (item.kind === 'map' && !item.flow && item.entries.length > 0 && item.compactSeq && !propsText(item)) return `${pad}- ${block(item, indent + 2).slice(indent + 2)}`
        if (item.kind === 'seq' && !item.flow && item.items.length > 0 && !propsText(item)) return `${pad}- ${block(item, indent + 2).slice(indent + 2)}`
        return `${pad}-${value(item, indent)}`
      })
      .join('')
  }
  return `${pad}${flow(n)}\n`
}

const LINE_ENDS = ['\n', '\r\n', '\r', '\u0085', '\u2028', '\u2029']
const lineEnds: fc.Arbitrary<string[]> = fc.oneof({ weight: 6, arbitrary: fc.constant<string[]>(['\n']) }, { weight: 4, arbitrary: fc.subarray(LINE_ENDS, { minLength: 1 }) })
const withLineEnds = (text: string, ends: string[]): string => {
  let i = 0
  return ends.length === 1 && ends[0] === '\n' ? text : text.replace(/\n/g, () => ends[i++ % ends.length])
}

/** Random edits that make near misses and errors: a YAML indicator, a tab, a line break, a deletion. */
const edits = fc.array(fc.tuple(fc.nat(), fc.constantFrom(' ', '  ', '\t', ':', ': ', '- ', '#', '"', "'", '[', ']', '{', '}', ',', '&a ', '*a', '!', '|', '>', '\n', '---\n', '...\n', '%YAML 1.1\n', '@', '\0', '\ufeff', ''), fc.nat({ max: 3 })), { maxLength: 3 })
const applyEdits = (text: string, list: [number, string, number][]): string =>
  list.reduce((t, [at, insert, remove]) => {
    const p = t.length === 0 ? 0 : at % (t.length + 1)
    return t.slice(0, p) + insert + t.slice(p + remove)
  }, text)

const documentsFile = fc
  .record({
    docs: fc.array(
      fc.tuple(
        // Mostly a mapping, as manifests are.
        fc.oneof({ weight: 6, arbitrary: map }, { weight: 2, arbitrary: seq }, { weight: 1, arbitrary: node }, { weight: 1, arbitrary: fc.constant<YNode>({ kind: 'scalar', style: 'plain', text: '', chomp: '' }) }),
        fc.constantFrom('---\n', '--- # doc\n', '', '...\n---\n')
      ),
      { minLength: 1, maxLength: 3 }
    ),
    leading: fc.constantFrom('', '# top\n', '%YAML 1.1\n---\n', '\n'),
    ends: lineEnds,
    edits: fc.oneof({ weight: 3, arbitrary: fc.constant([] as [number, string, number][]) }, { weight: 1, arbitrary: edits })
  })
  .map(({ docs, leading, ends, edits: list }) => {
    const text = leading + docs.map(([n, marker], i) => (i === 0 ? '' : marker || '---\n') + block(n, 0)).join('')
    return withLineEnds(applyEdits(text, list), ends)
  })

// ------------------------------------------------------------------------------------------------
// RayJobs: KubeRay's samples and the examples, mutated line by line.

/** The RayJobs among them (not the templates: those are not read at all). */
const MANIFESTS = manifestFiles().filter((t) => /^kind:\s*RayJob\s*$/m.test(t) && !t.includes('{{'))

type Mutation = [kind: 'value' | 'key' | 'indent' | 'delete' | 'duplicate' | 'anchor' | 'type' | 'template', line: number, pick: number]
/** Mostly changes that keep the file a RayJob the lint checks: values, types, keys. */
const MUTATIONS = ['value', 'value', 'value', 'type', 'type', 'type', 'key', 'key', 'anchor', 'anchor', 'template', 'duplicate', 'delete', 'indent'] as const
const TYPES = ['[1, 2]', '{a: b}', '|\n      text', '""', '-1', '1e999', '0x7FFFFFFFFFFFFFFF', '[]', '{}', 'null', '"2"', 'true', '*nowhere', '!!binary aGk=', "'x'"]

function mutate(text: string, list: Mutation[]): string {
  const lines = text.split('\n')
  for (const [kind, at, pick] of list) {
    const i = at % lines.length
    const line = lines[i]
    const colon = line.search(/: |:$/)
    switch (kind) {
      case 'value':
        if (colon !== -1) lines[i] = `${line.slice(0, colon)}: ${PLAIN[pick % PLAIN.length]}`
        break
      case 'key':
        if (colon !== -1) lines[i] = line.replace(/^(\s*(?:- )?)([^:]*)/, (_, pre: string, key: string) => pre + (pick % 2 ? `${key}x` : KEYS[pick % KEYS.length]))
        break
      case 'indent':
        lines[i] = pick % 2 ? ` ${line}` : line.replace(/^ {1,2}/, '')
        break
      case 'delete':
        lines.splice(i, 1)
        break
      case 'duplicate':
        lines.splice(i, 0, line)
        break
      case 'anchor': {
        const j = (at * 7 + pick) % lines.length
        if (colon !== -1 && lines[j].search(/: /) !== -1) {
          lines[i] = line.replace(/: /, ': &m ')
          lines[j] = lines[j].replace(/: .*/, ': *m')
        }
        break
      }
      case 'type':
        if (colon !== -1) lines[i] = `${line.slice(0, colon)}: ${TYPES[pick % TYPES.length]}`
        break
      case 'template':
        if (colon !== -1) lines[i] = `${line.slice(0, colon)}: ${pick % 2 ? '"{{ .Values.x }}"' : '{{ .Values.x }}'}`
        break
    }
    if (lines.length === 0) lines.push('')
  }
  return lines.join('\n')
}

const rayJobFile = fc
  .record({
    text: fc.constantFrom(...MANIFESTS),
    mutations: fc.array(fc.tuple(fc.constantFrom(...MUTATIONS), fc.nat(), fc.nat()), { minLength: 1, maxLength: 3 }),
    ends: lineEnds,
    bom: fc.constantFrom('', '', '', '', '', '', '', '', '', '\ufeff')
  })
  .map(({ text, mutations, ends, bom }) => bom + withLineEnds(mutate(text, mutations), ends))

/** Short strings of YAML's characters, and raw bytes. */
const noiseFile = fc.oneof(
  fc.string({ unit: fc.constantFrom(...'ab:- \n\t#"\'[]{},&*!|>%@`?~.0\r\u0085\u2028'), maxLength: 80 }).map(utf8),
  fc.uint8Array({ maxLength: 64 })
)

// ------------------------------------------------------------------------------------------------
// The properties.

/** Messages no user should see: the lint's or `yaml`'s own failures passed off as findings. */
const INTERNAL = /stack size|stack overflow|Maximum call|Invalid regular expression|TypeError|RangeError|ReferenceError|is not a function|Cannot read prop|undefined|This should not happen/i

const readBoth = (bytes: Uint8Array): { fast: ReadResult; reference: ReadResult } => ({
  fast: readManifest('f.yaml', bytes, undefined, 'fast'),
  reference: readManifest('f.yaml', bytes, undefined, 'reference')
})
const comparable = (r: ReadResult) => ({ problems: r.problems, documents: r.documents.map((d) => ({ index: d.index, value: d.value, start: d.start })) })

function timedLint(bytes: Uint8Array): { result: FileResult; ms: number } {
  const started = performance.now()
  const result = lintBytes('f.yaml', bytes, OPTIONS)
  return { result, ms: performance.now() - started }
}

/** The checks every file gets. */
function check(bytes: Uint8Array): void {
  // No crash, and no internal error among the findings.
  const { result, ms: first } = timedLint(bytes)
  const internal = result.findings.map((f) => f.message).filter((m) => INTERNAL.test(m))
  expect(internal).toEqual([])
  // Within 1 s a MB (200 ms at least); timed again before it counts.
  const limit = Math.max(200, (bytes.length / 1024 / 1024) * 1000)
  const ms = first > limit ? timedLint(bytes).ms : first
  expect({ ms: Math.round(ms), limit, bytes: bytes.length, withinLimit: ms <= limit }).toMatchObject({ withinLimit: true })
  // Both readers read the same, and the lint finds the same with each (a quick comparison first;
  // Jest's, slower, for the difference it shows).
  const { fast, reference } = readBoth(bytes)
  const same = (a: unknown, b: unknown): void => {
    if (!isDeepStrictEqual(a, b)) expect(a).toEqual(b)
  }
  same(comparable(fast), comparable(reference))
  if (result.findings.length > 0) same(lintBytes('f.yaml', bytes, { ...OPTIONS, yamlReader: 'reference' }), result)
}

const runs = (share: number): number => Math.max(1, Math.round(RUNS * share))

describe(`fuzzing the lint's reading of files (${RUNS} files)`, () => {
  test(
    'generated YAML documents: every style, anchors, aliases, tags, comments, several documents, odd line ends, random edits',
    () => fc.assert(fc.property(documentsFile, (text) => check(utf8(text))), { numRuns: runs(SHARE.documents) }),
    TIMEOUT_MS
  )

  test(
    "mutated RayJobs: KubeRay's samples and the examples with values, keys, types and indentation changed",
    () => fc.assert(fc.property(rayJobFile, (text) => check(utf8(text))), { numRuns: runs(SHARE.rayJobs) }),
    TIMEOUT_MS
  )

  test('noise: short strings of YAML indicators, and raw bytes', () => fc.assert(fc.property(noiseFile, (bytes) => check(bytes)), { numRuns: runs(SHARE.noise) }), TIMEOUT_MS)

  test('the generators make what they should: several styles, aliases, RayJobs the lint checks', () => {
    const sample = fc.sample(documentsFile, { numRuns: 300, seed: 1 })
    expect(sample.some((t) => /&[abc] /.test(t) && /\*[abc]/.test(t))).toBe(true)
    expect(sample.some((t) => /: [|>][-+]?/.test(t))).toBe(true)
    expect(sample.some((t) => /\[.*\]/.test(t) && /\{.*\}/.test(t))).toBe(true)
    const jobs = fc.sample(rayJobFile, { numRuns: 100, seed: 1 }).map((t) => lintBytes('f.yaml', utf8(t), OPTIONS))
    expect(jobs.filter((r) => r.rayJobs > 0).length).toBeGreaterThan(30)
    expect(MANIFESTS.length).toBeGreaterThan(30)
  })
})
