// The hostile files of issue 9 (defects 3, 4 and 7), as bytes: each case builds its file and says
// what the lint must find in it. bounds.test.ts lints each in a child process of its own
// (measureCase), so that its time and its peak memory are its own. No Jest here: the child
// process runs without it.
import { lintBytes } from '../../src/lint/lint.js'
import { loadYaml } from '../../src/yaml/index.js'
import { defaultFeatureGates } from '../../src/lint/versions.js'

export interface BoundCase {
  /** What the file is. */
  name: string
  bytes: () => Uint8Array
  /** The findings (rule, severity, line:column) the lint must give, in order; `count` findings in all when more. */
  findings: string[]
  count?: number
  rayJobs?: number
}

const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text)
const lines = (n: number, line: (i: number) => string): string => Array.from({ length: n }, (_, i) => `${line(i)}\n`).join('')

/** Nine levels of nine aliases, each level nine of the one before: a few hundred bytes, 387 million strings. */
const ALIAS_BOMB = ((): string => {
  const names = 'abcdefghi'
  let text = `a: &a [${Array(9).fill('"lol"').join(',')}]\n`
  for (let i = 1; i < names.length; i++) text += `${names[i]}: &${names[i]} [${Array(9).fill(`*${names[i - 1]}`).join(',')}]\n`
  return text
})()

export const BOUND_CASES: BoundCase[] = [
  {
    name: 'many keys: 40,000 in a mapping with an anchor (read by `yaml`), the last one a duplicate (defect 3)',
    bytes: () => utf8(`a: &a 1\n${lines(40_000, (i) => `key${i}: ${i}`)}key7: again\n`),
    findings: ['yaml-syntax note 40002:1']
  },
  {
    name: 'many keys: 300,000 in a mapping with an anchor (3 MB), too many for `yaml` (defect 3)',
    bytes: () => utf8(`a: &a 1\n${lines(300_000, (i) => `k${i}: 1`)}`),
    findings: ['file-too-large warning 1:1']
  },
  {
    name: 'many keys: 300,000 in a mapping without an anchor (3 MB), read by the fast reader',
    bytes: () => utf8(lines(300_000, (i) => `k${i}: 1`)),
    findings: []
  },
  {
    name: 'block nesting: `- ` two million deep on one line (4 MB) (defect 4)',
    bytes: () => utf8(`${'- '.repeat(2_000_000)}x\n`),
    findings: ['yaml-too-deep warning 1:201']
  },
  {
    name: 'block nesting: `- ` a thousand deep, one finding and no "Stack overflow" notices (defect 4)',
    bytes: () => utf8(`${'- '.repeat(1000)}x\n`),
    findings: ['yaml-too-deep warning 1:201']
  },
  {
    name: 'block nesting: mappings indented 2,000 deep (2 MB) (defect 4)',
    bytes: () => utf8(lines(2_000, (i) => `${' '.repeat(i)}a:`)),
    findings: ['yaml-too-deep warning 101:101']
  },
  {
    name: 'block nesting: a RayJob under a key and a `- ` item alternately, 150 deep (300 levels for `yaml`)',
    bytes: () => utf8(`kind: RayJob\nspec:\n${lines(150, (i) => `${'  '.repeat(i + 1)}- a:`)}`),
    findings: ['yaml-too-deep warning 101:201']
  },
  {
    name: 'flow nesting: 1,500,000 brackets (3 MB)',
    bytes: () => utf8(`a: ${'['.repeat(1_500_000)}${']'.repeat(1_500_000)}\n`),
    findings: ['yaml-too-deep warning 1:104']
  },
  {
    name: 'alias bomb: nine levels of nine aliases',
    bytes: () => utf8(ALIAS_BOMB),
    findings: ['yaml-aliases error 1:1']
  },
  {
    name: 'alias bomb by merge keys: a 40,000-key mapping merged into 1,000 others (each merge copies it)',
    bytes: () => utf8(`a: &a {${Array.from({ length: 40_000 }, (_, i) => `k${i}: 1`).join(', ')}}\n${lines(1_000, (i) => `m${i}:\n  <<: *a`)}`),
    findings: ['yaml-aliases error 1:1']
  },
  {
    name: 'aliases that take `yaml` quadratic time to resolve: 20,000 anchors, each used once',
    bytes: () => utf8(lines(20_000, (i) => `k${i}: &a${i} x`) + lines(20_000, (i) => `m${i}: *a${i}`)),
    findings: ['yaml-aliases error 1:1']
  },
  {
    name: 'a 3 MB plain scalar',
    bytes: () => utf8(`kind: RayJob\nentrypoint: ${'x'.repeat(3_000_000)}\n`),
    findings: []
  },
  {
    name: 'a 3 MB double-quoted scalar, with escapes',
    bytes: () => utf8(`kind: RayJob\nentrypoint: "${'x\\u00e9'.repeat(500_000)}"\n`),
    findings: []
  },
  {
    name: 'a 3 MB literal block scalar with an anchor (read by `yaml`)',
    bytes: () => utf8(`kind: RayJob\nentrypoint: &e |+\n${lines(40_000, () => `  ${'x'.repeat(75)}`)}`),
    findings: []
  },
  {
    name: 'a 3 MB plain scalar over 40,000 lines (read by `yaml`)',
    bytes: () => utf8(`kind: RayJob\nentrypoint: python\n${lines(40_000, () => `  ${'x'.repeat(75)}`)}`),
    findings: []
  },
  {
    name: '100,000 documents in a file',
    bytes: () => utf8('---\na: 1\n'.repeat(100_000)),
    findings: []
  },
  {
    name: '100,000 documents in a file, each with an anchor (each read by `yaml`)',
    bytes: () => utf8('---\na: &x 1\nb: *x\n'.repeat(100_000)),
    findings: []
  },
  {
    name: 'very many findings: 100,000 RayJobs without metadata or spec (3.9 MB, 300,000 findings)',
    bytes: () => utf8('---\napiVersion: ray.io/v1\nkind: RayJob\n'.repeat(100_000)),
    findings: ['schema-required error 2:1', 'cluster-spec-or-selector error 2:1', 'submission-mode-unknown error 2:1'],
    count: 300_000,
    rayJobs: 100_000
  },
  {
    name: 'very many findings in one RayJob: 150,000 unknown fields (1.8 MB)',
    bytes: () => utf8(`apiVersion: ray.io/v1\nkind: RayJob\nmetadata:\n  name: many\nspec:\n${lines(150_000, (i) => `  field${i}: 1`)}`),
    findings: ['schema-unknown-field error 6:3'],
    count: 150_000 + 2,
    rayJobs: 1
  }
]

/** What every child process takes before the case: a one-line file. */
export const BASELINE_CASE: BoundCase = { name: 'a one-line file', bytes: () => utf8('kind: RayJob\n'), findings: [] }

export interface Measured {
  bytes: number
  ms: number
  /** Peak resident memory of the whole process (kernel's maxrss), in MB. */
  peakMB: number
  rayJobs: number
  count: number
  /** The first findings, as `rule severity line:column`, at most as many as the case lists. */
  findings: string[]
  /** Every distinct message that mentions a stack or an internal error: must be none. */
  internal: string[]
}

const INTERNAL = /stack|Maximum call|Invalid regular expression|TypeError|RangeError|ReferenceError|undefined|This should not happen/i

/** Lints one case's bytes and measures it. */
export async function measureCase(name: string): Promise<Measured> {
  const c = [BASELINE_CASE, ...BOUND_CASES].find((b) => b.name === name)
  if (!c) throw new Error(`no case ${name}`)
  await loadYaml()
  const bytes = c.bytes()
  const started = performance.now()
  const result = lintBytes('case.yaml', bytes, { kuberayVersion: '1.7.0', featureGates: defaultFeatureGates('1.7.0') })
  const ms = performance.now() - started
  return {
    bytes: bytes.length,
    ms,
    peakMB: process.resourceUsage().maxRSS / 1024,
    rayJobs: result.rayJobs,
    count: result.findings.length,
    findings: result.findings.slice(0, Math.max(c.findings.length, 3)).map((f) => `${f.ruleId} ${f.severity} ${f.line}:${f.column}`),
    internal: [...new Set(result.findings.map((f) => f.message).filter((m) => INTERNAL.test(m)))].slice(0, 5)
  }
}
