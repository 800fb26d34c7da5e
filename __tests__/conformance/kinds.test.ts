// Conformance of the other kinds against the reference implementation: for every KubeRay release
// whose validator could be built, every RayCluster, RayService and RayCronJob variant
// (kind-variants.ts) and every sample of those kinds (and RayJob) that the release ships
// (cases/kind-samples.json) goes through KubeRay's own validation of that kind (kuberay-check
// --kind) and through the linter, with the same release and feature gates. They must agree on
// valid/invalid, and where KubeRay refuses an object, the finding the linter marks as KubeRay's
// must carry KubeRay's message.
import { readFileSync } from 'node:fs'
import { afterAll, describe, expect, test } from '@jest/globals'
import { LineCounter, parseAllDocuments } from 'yaml'
import { lintText } from '../../src/lint/lint.js'
import { ALL_RULES } from '../../src/lint/rules/registry.js'
import { atLeast, defaultFeatureGates, parseFeatureGates } from '../../src/lint/versions.js'
import type { KubeRayVersion } from '../../src/lint/versions.js'
import type { Finding } from '../../src/lint/findings.js'
import { KUBERNETES_YAML } from '../../src/yaml/options.js'
import { checkerFor, OPTIONAL_VERSIONS, REQUIRED_VERSIONS, runChecker } from './checker.js'
import type { CheckerResult } from './checker.js'
import { describeFindings, disagreement, gateSettings, isKubeRayRule, isSchemaRule, lintJob } from './compare.js'
import type { GateSetting } from './compare.js'
import { CHECKED_KINDS, generateKindVariants, KIND_SINCE } from './kind-variants.js'
import type { CheckedKind, KindVariant } from './kind-variants.js'

type Kind = CheckedKind | 'RayJob'

const variants = generateKindVariants()

/** Same rule as conformance.test.ts: the required releases, and the older ones when built (or asked for). */
const olderRequested = process.env.RAYJOB_CONFORMANCE_OLDER === '1'
const mustCheck = new Set<KubeRayVersion>([...REQUIRED_VERSIONS, ...(olderRequested ? OPTIONAL_VERSIONS : [])])
const versions: KubeRayVersion[] = [...REQUIRED_VERSIONS, ...OPTIONAL_VERSIONS.filter((v) => mustCheck.has(v) || checkerFor(v).available)]

interface SampleEntry {
  path: string
  doc: number
  name: string | null
  valid: boolean
  error: string
  panic?: string
  text: string
  line: number
}
interface SamplesFile {
  releases: Record<string, { checker?: string; samples: Partial<Record<Kind, SampleEntry[]>> }>
  texts: Record<string, string>
}
const SAMPLES = JSON.parse(readFileSync(new URL('../../test/conformance/cases/kind-samples.json', import.meta.url), 'utf8')) as SamplesFile

/** The rule families each kind has of its own (besides the cluster and RayJob checks it shares). */
const FAMILY: Record<CheckedKind, string> = { RayCluster: 'raycluster-', RayService: 'rayservice-', RayCronJob: 'raycronjob-' }

/** Own KubeRay rules no object of the kind can make KubeRay report, with why. */
const UNREACHABLE: Record<string, string> = {}

/** The gate settings a kind is checked with in a release: compare.ts's, plus the gates that matter to the kind. */
function kindGateSettings(version: KubeRayVersion, kind: Kind): GateSetting[] {
  const defaults = defaultFeatureGates(version)
  // RayJobDeletionPolicy matters to every kind: it also gates suspending a worker group (a cluster check).
  const settings = gateSettings(version)
  const flip = (flag: string): void => {
    const { gates, errors } = parseFeatureGates(flag, version)
    if (errors.length) throw new Error(errors.join('; '))
    settings.push({ label: flag, flag, gates })
  }
  if (kind === 'RayCronJob' && 'RayCronJob' in defaults) flip(`RayCronJob=${!defaults.RayCronJob}`)
  if (kind === 'RayService' && 'RayServiceIncrementalUpgrade' in defaults) flip(`RayServiceIncrementalUpgrade=${!defaults.RayServiceIncrementalUpgrade}`)
  return settings
}

interface Tally {
  checks: number
  agree: number
  refused: number
}
const newTally = (): Tally => ({ checks: 0, agree: 0, refused: 0 })
interface Summary {
  notChecked?: string
  variants: Tally
  samples: Tally
  sampleCount: number
  rules?: { triggered: number; reachable: number }
}
const summaries = new Map<KubeRayVersion, Summary>()

afterAll(() => {
  const lines = [...summaries].map(([version, s]) =>
    s.notChecked
      ? `[kinds] KubeRay ${version}: NOT CHECKED, FAILED (${s.notChecked})`
      : `[kinds] KubeRay ${version}: ${s.variants.agree}/${s.variants.checks} variant checks agree (KubeRay refused ${s.variants.refused}); ${s.samples.agree}/${s.samples.checks} sample checks agree (${s.sampleCount} samples)${s.rules ? `; ${s.rules.triggered}/${s.rules.reachable} own KubeRay rules triggered` : ''}`
  )
  const perKind = CHECKED_KINDS.map((k) => `${k} ${variants.filter((v) => v.kind === k).length}`).join(', ')
  process.stdout.write(`\n[kinds] variants: ${perKind} (each where its release and gates apply)\n${lines.join('\n')}\n`)
})

function appliesTo(variant: KindVariant, version: KubeRayVersion, setting: GateSetting): boolean {
  if (variant.since && !atLeast(version, variant.since)) return false
  return Object.entries(variant.gates ?? {}).every(([gate, on]) => (setting.gates[gate] ?? false) === on)
}

const lintCache = new Map<string, Finding[]>()
function lintVariant(variant: KindVariant, version: KubeRayVersion, setting: GateSetting): Finding[] {
  const key = `${version}\u0000${setting.label}\u0000${variant.id}`
  let findings = lintCache.get(key)
  if (!findings) lintCache.set(key, (findings = lintJob(variant.id, variant.object, version, setting.gates)))
  return findings
}

function report(id: string, kind: Kind, version: KubeRayVersion, setting: GateSetting, kuberay: CheckerResult, findings: Finding[], why: string): string {
  const verdict = kuberay.valid ? 'valid' : `invalid: ${kuberay.error || kuberay.panic}`
  return [`✗ ${id}`, `  ${kind}, KubeRay ${version} (${setting.label}): ${verdict}`, `  linter (* = what it says KubeRay reports): ${why}`, describeFindings(findings)].join('\n')
}

function compareAll(
  objects: { id: string; object: unknown; lint: () => Finding[] }[],
  kind: Kind,
  binary: string,
  version: KubeRayVersion,
  setting: GateSetting,
  tally: Tally,
  covered?: Set<string>
): string[] {
  const results = runChecker(binary, objects.map(({ id, object }) => ({ id, job: object })), setting.flag, kind)
  const failures: string[] = []
  for (const o of objects) {
    const kuberay = results.get(o.id)!
    const findings = o.lint()
    const why = agreeing(kuberay, findings)
    tally.checks++
    if (!kuberay.valid) tally.refused++
    if (why) {
      failures.push(report(o.id, kind, version, setting, kuberay, findings, why))
      continue
    }
    tally.agree++
    for (const f of findings) if (f.kuberayReports && isKubeRayRule(f)) covered?.add(f.ruleId)
  }
  return failures
}

const TEMPLATE = 'invalid RayJob template: '

/**
 * compare.ts's disagreement, for a RayCronJob's template too: KubeRay wraps the RayJob checks of
 * spec.jobTemplate in "invalid RayJob template: "; when both sides carry that wrap, what follows
 * it is compared as the RayJob test compares it (e.g. go-yaml's own wording of a YAML error).
 */
function agreeing(kuberay: CheckerResult, findings: Finding[]): string | undefined {
  const reported = findings.filter((f) => isKubeRayRule(f) && f.kuberayReports)
  if (kuberay.valid || !kuberay.error.startsWith(TEMPLATE) || !reported.length || !reported.every((f) => f.message.startsWith(TEMPLATE))) return disagreement(kuberay, findings)
  const unwrap = (f: Finding): Finding => (reported.includes(f) ? { ...f, message: f.message.slice(TEMPLATE.length) } : f)
  return disagreement({ ...kuberay, error: kuberay.error.slice(TEMPLATE.length) }, findings.map(unwrap))
}

function failWith(failures: string[], what: string): void {
  if (failures.length) throw new Error(`${failures.length} ${what} disagree with KubeRay:\n\n${failures.join('\n\n')}`)
}

/** A sample file's documents: each one's object and the lines it spans (for the file's findings). */
interface SampleFile {
  path: string
  text: string
  docs: { object: unknown; from: number; to: number }[]
}
const fileCache = new Map<string, SampleFile>()
function sampleFile(path: string, sha: string): SampleFile {
  let file = fileCache.get(sha)
  if (file) return file
  const text = SAMPLES.texts[sha]
  if (text === undefined) throw new Error(`kind-samples.json has no text ${sha} (${path}): regenerate it (node test/conformance/kind-samples.mjs)`)
  const lineCounter = new LineCounter()
  const parsed = parseAllDocuments(text, { ...KUBERNETES_YAML, lineCounter })
  const list = Array.isArray(parsed) ? parsed : [parsed]
  const starts = list.map((d) => lineCounter.linePos(d.range[0]).line)
  const docs = list.map((d, i) => ({ object: d.toJS({ maxAliasCount: -1 }) as unknown, from: starts[i], to: i + 1 < starts.length ? starts[i + 1] : Infinity }))
  fileCache.set(sha, (file = { path, text, docs }))
  return file
}

const sampleLint = new Map<string, Finding[]>()
function lintSample(file: SampleFile, version: KubeRayVersion, setting: GateSetting, doc: number): Finding[] {
  // The file as it is, through the linter's own YAML reading; the findings of this document are those on its lines.
  const key = `${version}\u0000${setting.label}\u0000${file.path}`
  let findings = sampleLint.get(key)
  if (!findings) sampleLint.set(key, (findings = lintText(file.path, file.text, { kuberayVersion: version, featureGates: setting.gates }).findings))
  const { from, to } = file.docs[doc]
  return findings.filter((f) => f.line >= from && f.line < to)
}

const ALL_KINDS: Kind[] = ['RayJob', ...CHECKED_KINDS]

describe.each(versions)('KubeRay %s', (version) => {
  const checker = checkerFor(version)
  if (!checker.available) {
    summaries.set(version, { notChecked: checker.reason, variants: newTally(), samples: newTally(), sampleCount: 0 })
    test("KubeRay's validator for this release was built (test/conformance/build.sh)", () => {
      const log = checker.buildLog ? `\n\nend of the build log:\n${checker.buildLog}` : ''
      throw new Error(`KubeRay ${version} cannot be checked: ${checker.reason}${log}`)
    })
    return
  }
  const { binary } = checker
  const release = SAMPLES.releases[version]
  const summary: Summary = { variants: newTally(), samples: newTally(), sampleCount: 0 }
  summaries.set(version, summary)
  const covered = new Set<string>()
  const kinds = ALL_KINDS.filter((k) => k === 'RayJob' || atLeast(version, KIND_SINCE[k]))

  for (const kind of kinds) {
    const settings = kindGateSettings(version, kind)
    const own = kind === 'RayJob' ? [] : variants.filter((v) => v.kind === kind)
    const samples = release?.samples[kind] ?? []
    summary.sampleCount += samples.length

    for (const setting of settings) {
      if (kind !== 'RayJob') {
        test(`${kind} variants: the linter agrees with KubeRay (${setting.label})`, () => {
          const applicable = own.filter((v) => appliesTo(v, version, setting))
          expect(applicable.length).toBeGreaterThan(0)
          const objects = applicable.map((v) => ({ id: v.id, object: v.object, lint: () => lintVariant(v, version, setting) }))
          failWith(compareAll(objects, kind, binary, version, setting, summary.variants, covered), `of ${applicable.length} ${kind} variants`)
        })
      }

      if (samples.length) {
        test(`${kind} samples of KubeRay ${version}: the linter agrees with KubeRay (${setting.label})`, () => {
          const objects = samples.map((s) => {
            const file = sampleFile(s.path, s.text)
            return { id: `${s.path}#${s.doc}`, object: file.docs[s.doc].object, lint: () => lintSample(file, version, setting, s.doc) }
          })
          if (!setting.flag) {
            // kind-samples.json recorded KubeRay's verdicts with the default gates: still the checker's?
            const live = runChecker(binary, objects.map(({ id, object }) => ({ id, job: object })), undefined, kind)
            const stale = samples.filter((s) => live.get(`${s.path}#${s.doc}`)!.error !== s.error).map((s) => `${s.path}#${s.doc}`)
            expect({ staleVerdictsInKindSamplesJson: stale }).toEqual({ staleVerdictsInKindSamplesJson: [] })
          }
          failWith(compareAll(objects, kind, binary, version, setting, summary.samples), `of ${objects.length} ${kind} samples`)
        })
      }
    }
  }

  test('the kind variants are valid for this release’s CRDs unless they say why the API server refuses them', () => {
    const problems = variants
      .filter((v) => !v.apiServerRejects && atLeast(version, v.since ?? KIND_SINCE[v.kind]))
      .flatMap((v) => {
        const setting = kindGateSettings(version, v.kind).find((s) => appliesTo(v, version, s))
        if (!setting) return []
        const schema = lintVariant(v, version, setting).filter(isSchemaRule)
        return schema.length ? [`${v.id}:\n${describeFindings(schema)}`] : []
      })
    expect(problems).toEqual([])
  })

  test('every own KubeRay rule of each kind is triggered by a variant and agreed on', () => {
    const reachable = ALL_RULES.filter(
      (r) =>
        r.source === 'kuberay' &&
        kinds.some((k) => k !== 'RayJob' && r.id.startsWith(FAMILY[k])) &&
        atLeast(version, r.since) &&
        !(r.until && atLeast(version, r.until)) &&
        !(r.id in UNREACHABLE)
    )
    const missing = reachable.filter((r) => !covered.has(r.id)).map((r) => r.id)
    summary.rules = { triggered: reachable.length - missing.length, reachable: reachable.length }
    expect(missing).toEqual([])
  })
})
