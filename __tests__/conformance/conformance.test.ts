// Conformance against the reference implementation: for every KubeRay release whose validator
// could be built, every variant (variants.ts) and every real KubeRay RayJob manifest goes through
// KubeRay's own ValidateRayJobMetadata + ValidateRayJobSpec (kuberay-check) and through the
// linter, with the same release and feature gates. They must agree on valid/invalid, and where
// KubeRay refuses a RayJob, the finding the linter marks as KubeRay's must carry KubeRay's message.
import { afterAll, describe, expect, test } from '@jest/globals'
import { lintText } from '../../src/lint/lint.js'
import { KIND_PLANS } from '../../src/lint/rules/registry.js'
import { atLeast, defaultFeatureGates } from '../../src/lint/versions.js'
import type { KubeRayVersion } from '../../src/lint/versions.js'
import type { Finding } from '../../src/lint/findings.js'
import { checkerDefaultGates, checkerFor, OPTIONAL_VERSIONS, REQUIRED_VERSIONS, runChecker } from './checker.js'
import type { CheckerResult } from './checker.js'
import { describeFindings, disagreement, gateSettings, isKubeRayRule, isSchemaRule, lintJob } from './compare.js'
import type { GateSetting } from './compare.js'
import { loadManifests } from './jobs.js'
import { generateVariants } from './variants.js'
import type { Variant } from './variants.js'

const variants = generateVariants()
const manifests = loadManifests()
/**
 * The releases this run must check: the required ones, and the older ones too when
 * RAYJOB_CONFORMANCE_OLDER=1 asked the global setup to build them. A release of that list whose
 * checker could not be built fails the run (with the build's error); other older releases are
 * checked when their checker happens to be built.
 */
const olderRequested = process.env.RAYJOB_CONFORMANCE_OLDER === '1'
const mustCheck = new Set<KubeRayVersion>([...REQUIRED_VERSIONS, ...(olderRequested ? OPTIONAL_VERSIONS : [])])
const versions: KubeRayVersion[] = [...REQUIRED_VERSIONS, ...OPTIONAL_VERSIONS.filter((v) => mustCheck.has(v) || checkerFor(v).available)]

/**
 * KubeRay rules no RayJob can make KubeRay report once the API server has defaulted it, with why.
 * Everything else must be triggered, and agreed on, by at least one variant.
 */
const UNREACHABLE: Record<string, string> = {
  'worker-replicas-unset': 'C6: the CRD defaults minReplicas to 0 and maxReplicas to 2147483647',
  'k8s-token-auth-settings': 'C42: S13 refuses enableK8sTokenAuth in every RayJob first',
  'k8s-token-auth-without-token-mode': 'C43: S13 refuses enableK8sTokenAuth in every RayJob first'
}

interface Tally {
  checks: number
  agree: number
  refused: number
}

/** What each release's tests found, for the summary printed at the end. */
interface Summary {
  notChecked?: string
  /** Where KubeRay's source came from, when not the Go module proxy (the third_party copy). */
  source?: string
  gateSettings: number
  variants: Tally
  manifests: Tally
  rules?: { triggered: number; reachable: number }
}
const summaries = new Map<KubeRayVersion, Summary>()

function summaryLine(version: KubeRayVersion, s: Summary): string {
  if (s.notChecked) return `KubeRay ${version}: NOT CHECKED, FAILED (${s.notChecked})`
  const parts = [
    `${s.variants.agree}/${s.variants.checks} variant checks agree (${variants.length} variants, ${s.gateSettings} gate settings, where they apply; KubeRay refused ${s.variants.refused})`,
    `${s.manifests.agree}/${s.manifests.checks} real-manifest checks agree`
  ]
  if (s.rules) parts.push(`${s.rules.triggered}/${s.rules.reachable} reachable KubeRay rules triggered`)
  return `KubeRay ${version}${s.source ? ` (built from ${s.source})` : ''}: ${parts.join('; ')}`
}

afterAll(() => {
  process.stdout.write(`\n${[...summaries].map(([version, s]) => `[conformance] ${summaryLine(version, s)}`).join('\n')}\n`)
})

/** Lint results by release, gate setting and variant: the schema check reuses the default-gate run. */
const lintCache = new Map<string, Finding[]>()
function lintVariant(variant: Variant, version: KubeRayVersion, setting: GateSetting): Finding[] {
  const key = `${version}\u0000${setting.label}\u0000${variant.id}`
  let findings = lintCache.get(key)
  if (!findings) lintCache.set(key, (findings = lintJob(variant.id, variant.job, version, setting.gates)))
  return findings
}

function appliesTo(variant: Variant, version: KubeRayVersion, setting: GateSetting): boolean {
  if (variant.since && !atLeast(version, variant.since)) return false
  if (variant.until && atLeast(version, variant.until)) return false
  return Object.entries(variant.gates ?? {}).every(([gate, on]) => (setting.gates[gate] ?? false) === on)
}

function report(id: string, version: KubeRayVersion, setting: GateSetting, kuberay: CheckerResult, findings: Finding[], why: string): string {
  const verdict = kuberay.valid ? 'valid' : `invalid: ${kuberay.error || kuberay.panic}`
  return [`✗ ${id}`, `  KubeRay ${version} (${setting.label}): ${verdict}`, `  linter (* = what it says KubeRay reports): ${why}`, describeFindings(findings)].join('\n')
}

/** Both verdicts for each object; returns the reports of the disagreements. */
function compareAll(
  objects: { id: string; job: unknown; lint: () => Finding[] }[],
  binary: string,
  version: KubeRayVersion,
  setting: GateSetting,
  tally: Tally,
  covered?: Set<string>
): string[] {
  const results = runChecker(binary, objects, setting.flag)
  const failures: string[] = []
  for (const object of objects) {
    const kuberay = results.get(object.id)!
    const findings = object.lint()
    const why = disagreement(kuberay, findings)
    tally.checks++
    if (!kuberay.valid) tally.refused++
    if (why) {
      failures.push(report(object.id, version, setting, kuberay, findings, why))
      continue
    }
    tally.agree++
    for (const f of findings) if (f.kuberayReports && isKubeRayRule(f)) covered?.add(f.ruleId)
  }
  return failures
}

const newTally = (): Tally => ({ checks: 0, agree: 0, refused: 0 })

function failWith(failures: string[], what: string): void {
  if (failures.length) throw new Error(`${failures.length} ${what} disagree with KubeRay:\n\n${failures.join('\n\n')}`)
}

describe.each(versions)('KubeRay %s', (version) => {
  const checker = checkerFor(version)
  if (!checker.available) {
    // Never a skip: a release this run must check and cannot is a failure, with the build's error.
    summaries.set(version, { notChecked: checker.reason, gateSettings: 0, variants: newTally(), manifests: newTally() })
    test("KubeRay's validator for this release was built (test/conformance/build.sh)", () => {
      const log = checker.buildLog ? `\n\nend of the build log:\n${checker.buildLog}` : ''
      throw new Error(`KubeRay ${version} cannot be checked: ${checker.reason}${log}`)
    })
    return
  }
  const { binary, origin } = checker
  const settings = gateSettings(version)
  const covered = new Set<string>()
  const fromCopy = origin.startsWith('third_party/') ? origin.split(';')[0] : undefined
  const summary: Summary = { source: fromCopy, gateSettings: settings.length, variants: newTally(), manifests: newTally() }
  summaries.set(version, summary)

  test("the linter's default feature gates are the operator's", () => {
    expect(defaultFeatureGates(version)).toEqual(checkerDefaultGates(binary))
  })

  for (const setting of settings) {
    test(`variants: the linter agrees with KubeRay (${setting.label})`, () => {
      const applicable = variants.filter((v) => appliesTo(v, version, setting))
      expect(applicable.length).toBeGreaterThan(0)
      const objects = applicable.map((v) => ({ id: v.id, job: v.job, lint: () => lintVariant(v, version, setting) }))
      failWith(compareAll(objects, binary, version, setting, summary.variants, covered), `of ${applicable.length} variants`)
    })

    test(`real KubeRay manifests: the linter agrees with KubeRay (${setting.label})`, () => {
      // Each file holds one RayJob (and maybe a ConfigMap or a RayCluster), so the file's findings are that RayJob's.
      expect(manifests.map((m) => m.rayJobs.length)).toEqual(manifests.map(() => 1))
      const objects = manifests.map((m) => ({
        id: m.file,
        job: m.rayJobs[0],
        // The file as it is, through the linter's own YAML reading.
        lint: () => lintText(m.file, m.text, { kuberayVersion: version, featureGates: setting.gates }).findings
      }))
      expect(objects.length).toBe(35)
      failWith(compareAll(objects, binary, version, setting, summary.manifests), `of ${objects.length} real manifests`)
    })
  }

  test('variants are valid for this release’s CRD unless they say why the API server refuses them', () => {
    const problems = variants
      .filter((v) => !v.apiServerRejects && appliesTo(v, version, settings[0]))
      .flatMap((v) => {
        const schema = lintVariant(v, version, settings[0]).filter(isSchemaRule)
        return schema.length ? [`${v.id}:\n${describeFindings(schema)}`] : []
      })
    expect(problems).toEqual([])
  })

  test('every KubeRay rule of this release is triggered by a variant and agreed on', () => {
    // A RayJob's KubeRay rules, each from the release that checks it on a RayJob (the cluster rules from 1.4.0).
    const reachable = KIND_PLANS.RayJob.kuberay.flatMap((step) =>
      step.from && !atLeast(version, step.from) ? [] : step.rules.filter((r) => atLeast(version, r.since) && !(r.until && atLeast(version, r.until)) && !(r.id in UNREACHABLE))
    )
    const missing = reachable.filter((r) => !covered.has(r.id)).map((r) => r.id)
    summary.rules = { triggered: reachable.length - missing.length, reachable: reachable.length }
    expect(missing).toEqual([])
  })
})
