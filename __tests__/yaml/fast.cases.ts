// Test-only: YAML texts that probe where the fast reader (src/yaml/fast.ts) must agree with `yaml`:
// hand-written edge cases, a seeded generator of random documents built from the constructs of
// both the subset that reader reads and the YAML it must leave to `yaml` (plus random edits that
// make near-misses and syntax errors), and the repository's manifests and the bench's documents.
// fast.test.ts and lint-readers.test.ts read all of them both ways.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { generate, random } from '../../scripts/bench/generate.mjs'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))

function yamlFilesBelow(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((f) => readFileSync(join(dir, f), 'utf8'))
}

/** KubeRay's manifests (the test fixtures), the examples and the bench's seeds. */
export function manifestFiles(): string[] {
  return ['__tests__/fixtures/kuberay-manifests', '__tests__/conformance/fixtures', 'examples', 'scripts/bench/kuberay/manifests'].flatMap((dir) => yamlFilesBelow(join(ROOT, dir)))
}

let bench: string[] | undefined
/** The bench's generated RayJobs (the generator and seeds of `npm run bench`, 150 documents). */
export function benchFiles(): string[] {
  if (!bench) {
    const dir = mkdtempSync(join(tmpdir(), 'fast-yaml-bench-'))
    try {
      bench = generate(dir, { documents: 150, perFile: 30 }).files.map((f) => readFileSync(join(dir, f), 'utf8'))
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  }
  return bench
}

/** Hand-written edge cases, each a whole file. */
export const EDGE_CASES: readonly string[] = [
  // YAML 1.1 booleans, nulls and numbers as values, in block and flow style, and as keys (left to `yaml` unless strings).
  `booleans: [y, Y, yes, Yes, YES, n, N, no, No, NO, true, True, TRUE, false, False, FALSE, on, On, ON, off, Off, OFF, yEs, oN]
nulls: [~, null, Null, NULL, nULL, '', ""]
ints: [0, -0, +0, 012, 09, 0o12, 0x1F, -0x1f, 0b101, -0b1, 1_000, 0_, 0x_, 0b_, 1__0, 123456789012345678901234567890, +12, -12]
floats: [1.5, .5, -.5, +.5, 0., 1e3, 1E-3, -1.5e+3, 1_0.5_0, .inf, -.Inf, +.INF, .nan, .NaN, .NAN, 1.0, 6.8523015e+5, 1e, e3, .e3]
times: [1:30, -1:30, 190:20:30.15, 1:60, 1:5:5, 1:05:05]
timestamps: [2001-12-14, 2001-12-14t21:59:43.10-05:00, 2001-12-14 21:59:43.10 -5, 2001-12-14T21:59:43Z, 2002-1-2, 2001-12-14 21:59:43.10]
block:
  y: 1
  on: off
`,
  `y: yes
n: no
`,
  `a: yes
b: No
c: ON
d: ~
e: null
f:
g: 0x1F
h: 0o17
i: 017
j: 1:30
k: 1_000
l: 2001-12-14
m: .inf
n2: .NaN
o: -0
p: '0x1F'
q: "yes"
r: <<
s: =
t: 1.0
`,
  // Keys the fast reader leaves to `yaml`: not strings, merge keys, duplicates, __proto__.
  `1: one\n`,
  `true: t\n`,
  `null: n\n`,
  `~: n\n`,
  `2001-12-14: d\n`,
  `a: 1\na: 2\n`,
  `a: 1\n"a": 2\n`,
  `__proto__: x\n`,
  `base: &base {image: ray, name: head}\nhead:\n  <<: *base\n  name: ray-head\n`,
  `"<<": not a merge\n'<<': [quoted]\n`,
  `a: {b: 1, b: 2}\n`,
  `a: {"b":1,"c":[true,null,"x\\u00e9"]}\n`,
  `{"apiVersion":"ray.io/v1","kind":"RayJob","metadata":{"name":"j"},"spec":{"entrypoint":"python -c \\"print(1)\\"","n":[1,2.5,-3e2]}}`,
  // Block scalars: chomping, indentation, blank lines, `---` and `#` inside, more-indented lines, folding.
  `a: |
  line 1
  # not a comment
    more indented
  ---
  ...

  after blank
b: >
  folded
  text

  new paragraph
    more indented
  back
c: |-
  stripped

d: >-
  folded
  stripped
e: |+
  kept

f: |2
    explicit
g: |
    deeper first
  less: error
`,
  `a: |
  x
b: |

  leading blank
c: |
    
  more-indented leading blank
d: |
  trailing spaces   
  
e: >

  a
   b

  c
`,
  `- |
 one space
- >-
  folded
- key: |
   three
  other: 1
- key: |
  two
`,
  `key: |
next: 1
`,
  `key: | # a comment
  text
key2: |#no space
  text
`,
  `a: >
  one
  two

  three


  four
     indented
  five
`,
  // Plain scalars: comments, colons, indicators, trailing spaces, multi-line.
  `a: value # comment
b: value#not comment
c: http://example.com:8080/path
d: a: b
e: a:
f: -dash
g: --double
h: - item
i: ?question
j: :colon
k: "@at"
l: a, b, c]
m: trailing spaces   
n: multi
  line plain
o: multi

  with blank
p: 'single ''quoted'''
q: "double \\"quoted\\" \\x41 \\u00e9 \\U0001F600 \\/ \\ \\t"
r: "bad \\q escape"
s: "multi
  line"
t: 'multi
  line'
u: "\\
  escaped line break"
`,
  `a: !!str 1\nb: !!binary aGVsbG8=\nc: !!set {a, b}\nd: !custom x\ne: &anchor v\nf: *anchor\n`,
  `? complex key\n: value\n`,
  `a: [1, 2\n---\nb: 1\n`,
  `a: [\n  1, 2\n]\nb: {c: d,\n  e: f}\n`,
  `a: [a: b]\nb: [a, , b]\nc: {a}\nd: {a: }\ne: [a #c]\nf: [a:b]\ng: [-1, -x, - y]\nh: [[a], {b: c}, []]\n`,
  // Sequences and mappings at every indentation, compact forms.
  `root:
- a
- b:
  - c
  - d: e
    f: g
-   spaced: 4
    next: 5
-
  nested: below
- - nested seq
`,
  `a:
    deep: 4
b:
 shallow: 1
c:
- at key indent
d:
  - indented
e:
  -
    x: 1
  - 
  - y
`,
  `a: 1
  b: 2
`,
  `a: 1
 - b
`,
  `  indented: root
  second: key
`,
  `- root seq
- 2
`,
  `plain root scalar\n`,
  `"quoted root"\n`,
  `[root, flow]\n`,
  `{root: flow}\n`,
  // Documents: markers, comments between them, empty documents, end markers, directives.
  `# leading comment\n---\na: 1\n`,
  `---\n# comment in an empty document\n---\na: 1\n---\n`,
  `a: 1\n# trailing comment\n---\nb: 2\n...\n---\nc: 3\n`,
  `%YAML 1.1\n---\na: yes\n`,
  `--- # marker comment\na: 1\n--- \nb: 2\n---\n\n\n`,
  `--- a: 1\n`,
  `---\n--- |\n  root block\n`,
  `a: 1\n----\nb: 2\n`,
  `a: 1\n---x\n`,
  `# only comments\n# here\n`,
  `---\n---\n---\n`,
  `a: "quoted
---
still quoted"
`,
  // Whitespace: tabs, CRLF, BOM, stray CR, Unicode line separators.
  `a:\tb\n`,
  `a: b\t# tab before comment\n`,
  `a:\n\t- b\n`,
  `a: b\r\nc:\r\n  - d\r\n  - |\r\n    block\r\n    text\r\n`,
  `a: b\rc: d\n`,
  `\ufeffa: b\n`,
  `a: b\u2028c\n`,
  `a: "b\u0085c"\n`,
  `a: b\u0001\n`,
  // Comments everywhere, and the suppression comment in and out of block scalars.
  `# top
a: 1 # after value
# between
b: # after key
  # above nested
  c: 2
  # below nested
d:
  - 1 # after item
  # between items
  - 2
e: |
  # rayjob-lint-disable inside a block scalar
f: "# not a comment"
# rayjob-lint-disable head-no-dashboard-port
`,
  `a: 1 #comment
b: 2#not
c: [1, 2] # after flow
d: "x" # after quoted
e: "x"# no space
f: 'x'   # spaces
`,
  // Long keys, deep nesting, odd characters.
  `${'k'.repeat(1100)}: long key\n`,
  `${Array.from({ length: 80 }, (_, i) => `${' '.repeat(i)}k${i}:`).join('\n')} deep\n`,
  `é: ü\n"ключ": значение\n日本: 語\nemoji: 😀\n`,
  `a b: c d\n"a\\tb": c\n'a''b': c\n`
]

/** Building blocks the fast reader reads itself (some of them tricky), and ones it must leave to `yaml` or that are errors. */
const PLAIN = {
  read: [
    'word', 'two words', 'ray-head', 'rayproject/ray:2.52.0', 'python train.py --epochs 3', 'http://x:80/y', 'a#b', 'a,b', 'a]b', 'a}b', 'a[b', 'a"b', "a'b", 'é', 'a:b', '-x', '--x', '-.5x', '=', '<<',
    'y', 'Y', 'n', 'N', 'yes', 'No', 'ON', 'off', 'On', 'true', 'False', 'TRUE', 'null', 'Null', '~', 'nULL', 'yEs', 'e3', 'E-3', '1e', 'e',
    '0', '-0', '+0', '012', '09', '0o12', '0x1F', '0x_', '0b101', '0b', '0_', '1_000', '1__0', '+12', '-12', '99999999999999999999',
    '1.5', '.5', '-.5', '0.', '1e3', '1E-3', '1_0.5', '.inf', '-.Inf', '.NaN', '1.0', '.', '-.', '..',
    '1:30', '-1:30', '190:20:30.15', '1:60', '1:5:5', '2001-12-14', '2001-12-14t21:59:43.10-05:00', '2001-12-14 21:59:43 +1', '2001-13-45'
  ],
  other: ['?x', ':x', 'x:', 'a: b', '-', '- x', '-,', '@x', '`x', '%x', '!x', '&x', '*x', '|', '>', '{x', '[x', ']x', '}x', ',x', '#x', '---', '...', '---x']
}
const QUOTED = {
  read: ['""', "''", '"plain"', '"yes"', '"1"', '"a\\"b"', '"\\x41\\u00e9\\U0001F600"', '"a # b"', "'it''s'", "'a\\n'", '"\\/"', '"a\\ b"', '"tab\\tnewline\\n"', '"\\N\\_\\L\\P\\0\\a\\b\\e\\f\\r\\v"', '"\\uD800"'],
  other: ['"\\q"', '"\\u12"', '"\\UFFFFFFFF"', '"unclosed', "'unclosed", '"a"b', "'a' b", '"a"#c']
}
const KEYS = {
  read: ['a', 'b', 'name', 'kind', 'spec', 'x.y/z', 'app.kubernetes.io/name', 'key with space', '"quoted"', "'single'", '-dash', 'a#b', 'a:b', '"a\\tb"', '"<<"', 'k', 'é', 'a ', '"yes"', "'1'"],
  other: ['yes', 'on', 'n', '1', 'null', '~', '<<', '@at', '__proto__', '2001-12-14', '.5', '? x', 'a #b', '"a" b']
}
const HEADERS = { read: ['|', '>', '|-', '>-', '| # c', '>-  # c'], other: ['|+', '>+', '|2', '|-2', '|#c', '|x', '>1-'] }
const FLOWS = {
  read: ['[]', '{}', '[ ]', '{ }', '[a, b]', '[a, b,]', '[ a , b ]', '{a: 1, b: [x, y]}', '{"a":1}', "{'a': b}", '[-1, -x]', '[yes, no, 1.5, ~, 2001-12-14]', '[[a], {b: c}]', '[ "x", \'y\' ]', '{"a": b}', '{a: {b: [c, {d: e}]}}', '[a b, c  d ]'],
  other: ['[a: b]', '[a, , b]', '{a}', '{a: }', '[a #c]', '[a:b]', '{a: 1, a: 2}', '[a', '{a: 1', '[a]]', '{"a" :b}', '{a:b}', '[-, -x]', '[&a x, *a]', '[!!str 1]', '{? a: b}']
}

/** A random document (one or more, sometimes), from the building blocks above, then maybe broken by a few random edits. */
export function randomDocument(seed: number): string {
  const rnd = random(seed)
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)]
  const chance = (p: number): boolean => rnd() < p
  // Half the documents are mostly what the fast reader reads (to test what it reads), half often not (to test that it gives up).
  const odd = chance(0.5) ? 0.01 : 0.25
  const choose = <T>(blocks: { read: readonly T[]; other: readonly T[] }): T => (chance(odd) ? pick(blocks.other) : pick(blocks.read))
  const lines: string[] = []
  const pad = (n: number): string => ' '.repeat(n)

  const scalar = (): string => (chance(0.7) ? choose(PLAIN) : choose(QUOTED)) + (chance(0.1) ? ` # ${pick(['c', 'rayjob-lint-disable', 'x: y'])}` : chance(0.03) ? '  ' : '')
  const blockScalar = (indent: number): string[] => {
    const content = indent + 1 + Math.floor(rnd() * 3)
    const out: string[] = []
    if (chance(0.2)) out.push(pad(Math.floor(rnd() * (chance(odd) ? content + 2 : content + 1))))
    const count = Math.floor(rnd() * 5)
    for (let i = 0; i < count; i++) {
      const r = rnd()
      if (r < 0.15) out.push(pad(Math.floor(rnd() * (chance(odd) ? content + 2 : content + 1))))
      else if (r < 0.3) out.push(pad(content + 1 + Math.floor(rnd() * 2)) + 'more indented')
      else if (r < 0.38) out.push(pad(content) + '# hash line')
      else if (r < 0.42 && chance(odd)) out.push(pad(Math.max(0, content - 1)) + 'less indented')
      else out.push(pad(content) + pick(['text', 'pip: [a]', 'a: b', '---', 'x  y', '- item', '...']))
    }
    if (chance(0.3)) out.push(pad(Math.floor(rnd() * (content + 1))))
    return out
  }
  const comment = (indent: number): void => {
    if (chance(0.08)) lines.push(`${pad(Math.floor(rnd() * (indent + 3)))}# ${pick(['note', 'rayjob-lint-disable', 'rayjob-lint-disable head-no-dashboard-port'])}`)
    if (chance(0.05)) lines.push(pad(Math.floor(rnd() * 6)))
  }

  const mapping = (indent: number, depth: number, firstPrefix?: string): void => {
    const count = 1 + Math.floor(rnd() * 4)
    for (let i = 0; i < count; i++) {
      const key = choose(KEYS)
      const start = i === 0 && firstPrefix !== undefined ? firstPrefix : pad(indent)
      if (i > 0 || firstPrefix === undefined) comment(indent)
      value(`${start}${key}:`, indent, depth, true)
    }
  }
  const sequence = (indent: number, depth: number): void => {
    const count = 1 + Math.floor(rnd() * 3)
    for (let i = 0; i < count; i++) {
      comment(indent)
      const dash = `${pad(indent)}-${chance(0.1) ? '   ' : ' '}`
      const r = rnd()
      if (depth < 4 && r < 0.3) mapping(dash.length, depth + 1, dash)
      else if (r < 0.35) {
        lines.push(`${pad(indent)}-`)
        if (depth < 4 && chance(0.7)) mapping(indent + 1 + Math.floor(rnd() * 3), depth + 1)
      } else value(dash.trimEnd(), indent, depth, false)
    }
  }
  /** `head` is the line so far (`key:` or `-`); the value goes after it or below. */
  const value = (head: string, indent: number, depth: number, isMapValue: boolean): void => {
    const r = rnd()
    if (depth < 4 && r < 0.25) {
      lines.push(head + (chance(0.1) ? ' # c' : ''))
      mapping(indent + 1 + Math.floor(rnd() * (chance(0.1) ? 4 : 2)), depth + 1)
    } else if (depth < 4 && r < 0.4) {
      lines.push(head)
      sequence(isMapValue && chance(0.4) ? indent : indent + 1 + Math.floor(rnd() * 2), depth + 1)
    } else if (r < 0.5) {
      lines.push(`${head} ${choose(FLOWS)}`)
    } else if (r < 0.6) {
      lines.push(`${head} ${choose(HEADERS)}`)
      lines.push(...blockScalar(indent))
    } else if (r < 0.63) {
      lines.push(head)
    } else if (r < 0.66) {
      lines.push(head)
      lines.push(`${pad(indent + 2)}${scalar()}`)
    } else if (r < 0.7 && chance(odd * 2)) {
      if (chance(0.5)) lines.push(`${head} ${pick(['&a', '!!str', '!x', '*a', '&b 1', '? x'])} ${choose(PLAIN)}`)
      else {
        lines.push(`${head} ${pick(['first', '"first', "'first"])}`)
        lines.push(`${pad(indent + 1 + Math.floor(rnd() * 2))}${pick(['second', 'second"', "second'", 'x: y'])}`)
      }
    } else {
      lines.push(`${head} ${scalar()}`)
    }
  }

  const documents = 1 + (chance(0.3) ? Math.floor(rnd() * 3) : 0)
  const texts: string[] = []
  for (let d = 0; d < documents; d++) {
    lines.length = 0
    if (chance(0.15)) lines.push(chance(odd * 2) ? pick(['%YAML 1.1\n---', '...', '--- x']) : pick(['# leading', '---', '--- # c', '---\n# only comment']))
    if (chance(0.85)) mapping(chance(0.1) ? 2 : 0, 0)
    else if (chance(0.7)) sequence(0, 0)
    else lines.push(choose(FLOWS))
    texts.push(`${lines.join('\n')}\n`)
  }
  let text = texts.join(chance(odd) ? '...\n---\n' : pick(['---\n', '--- \n', '---\n# between\n', '--- # c\n']))
  if (chance(odd)) text = mutate(text, rnd)
  if (chance(0.1)) text = text.replaceAll('\n', '\r\n')
  if (chance(odd / 5)) text = text.replace(' ', '\t')
  return text
}

/** One to three random edits: a character deleted or inserted, a line doubled or shifted. */
function mutate(text: string, rnd: () => number): string {
  const edits = 1 + Math.floor(rnd() * 3)
  for (let i = 0; i < edits; i++) {
    const at = Math.floor(rnd() * text.length)
    const r = rnd()
    if (r < 0.3) text = text.slice(0, at) + text.slice(at + 1)
    else if (r < 0.7) text = text.slice(0, at) + [' ', ':', '-', '#', '"', "'", '\n', '[', '{', ',', '|', '  ', ': ', '- '][Math.floor(rnd() * 14)] + text.slice(at)
    else {
      const lines = text.split('\n')
      const n = Math.floor(rnd() * lines.length)
      if (r < 0.85) lines.splice(n, 0, lines[n])
      else lines[n] = rnd() < 0.5 ? ` ${lines[n]}` : lines[n].replace(/^ /, '')
      text = lines.join('\n')
    }
  }
  return text
}
