// Test-only helpers (imported by *.test.ts and *.cases.ts, never by the action, so never bundled):
// RayJob manifests written as YAML text, so every finding's line and column are real, and the
// table form the rule tests share.
import { expect, test } from '@jest/globals'
import type { Position } from '../../../src/lint/documents.js'
import type { Finding, Severity } from '../../../src/lint/findings.js'
import { lintBytes, lintText } from '../../../src/lint/lint.js'
import type { FileResult } from '../../../src/lint/lint.js'
import { defaultFeatureGates } from '../../../src/lint/versions.js'
import type { KubeRayVersion } from '../../../src/lint/versions.js'

/**
 * YAML as a template literal: the common indentation is removed, a multi-line value is indented
 * to the column where it is inserted, and lines left empty by an empty value are dropped.
 */
export function y(strings: TemplateStringsArray, ...values: unknown[]): string {
  let out = strings[0]
  values.forEach((value, i) => {
    const indent = /(?:^|\n)([ \t]*)[^\n]*$/.exec(out)?.[1] ?? ''
    const text = String(value ?? '').replace(/\n+$/, '')
    out += text.split('\n').join(`\n${indent}`) + strings[i + 1]
  })
  const lines = out.split('\n').filter((line) => line.trim() !== '')
  const margin = Math.min(...lines.map((line) => /^ */.exec(line)![0].length))
  return `${lines.map((line) => line.slice(margin)).join('\n')}\n`
}

export const RAY_IMAGE = 'rayproject/ray:2.52.0'

export interface ClusterParts {
  /** Extra fields of rayClusterSpec (rayVersion, autoscalerOptions, ...). */
  cluster?: string
  /** Extra fields of headGroupSpec (rayStartParams, resources, labels, ...). */
  head?: string
  /** Extra fields of the head Pod spec (restartPolicy, volumes, ...). */
  headPod?: string
  /** Extra fields of the head container (env, ports, volumeMounts, ...). */
  headContainer?: string
  /** Replaces the whole `containers:` list of the head Pod. */
  headContainers?: string
  /** The workerGroupSpecs items, as built by worker(). */
  workers?: string[]
}

/** `rayClusterSpec:` with a one-container head group, as KubeRay's "basic cluster spec". */
export function cluster(parts: ClusterParts = {}): string {
  const workers = parts.workers?.length ? `workerGroupSpecs:\n${parts.workers.join('\n')}` : ''
  return y`
    rayClusterSpec:
      ${parts.cluster ?? ''}
      headGroupSpec:
        ${startParams(parts.head)}
        ${parts.head ?? ''}
        template:
          spec:
            ${parts.headPod ?? ''}
            ${parts.headContainers ?? containers('ray-head', parts.headContainer)}
      ${workers}
  `
}

const containers = (name: string, extra = ''): string => y`
  containers:
    - name: ${name}
      image: ${RAY_IMAGE}
      ${extra}
`

/** rayStartParams was required by the CRD up to KubeRay 1.3.2, so the samples always give it. */
const startParams = (fields = ''): string => (/\brayStartParams:/.test(fields) ? '' : 'rayStartParams: {}')

export interface WorkerParts {
  /** Extra fields of the worker group (replicas, suspend, labels, ...); minReplicas/maxReplicas here replace the defaults 1/2. */
  group?: string
  pod?: string
  container?: string
  /** Replaces the whole `containers:` list. */
  containers?: string
}

/** One workerGroupSpecs item. */
export function worker(groupName: string, parts: WorkerParts = {}): string {
  const group = parts.group ?? ''
  const replicas = [/\bminReplicas:/.test(group) ? '' : 'minReplicas: 1', /\bmaxReplicas:/.test(group) ? '' : 'maxReplicas: 2'].join('\n')
  return y`
    - groupName: ${groupName}
      ${replicas}
      ${startParams(group)}
      ${group}
      template:
        spec:
          ${parts.pod ?? ''}
          ${parts.containers ?? containers('ray-worker', parts.container)}
  `
}

export interface JobParts {
  name?: string
  apiVersion?: string
  /** Extra fields of metadata (annotations, labels, namespace). */
  metadata?: string
}

/** A whole RayJob document; `spec` is the body under `spec:`. */
export function rayJob(spec: string, parts: JobParts = {}): string {
  return y`
    apiVersion: ${parts.apiVersion ?? 'ray.io/v1'}
    kind: RayJob
    metadata:
      name: ${parts.name ?? 'sample'}
      ${parts.metadata ?? ''}
    spec:
      ${spec}
  `
}

/** The smallest valid K8sJobMode RayJob body: an entrypoint and a basic cluster. */
export const ENTRYPOINT = 'entrypoint: python /home/ray/samples/sample_code.py'

export interface LintWith {
  version?: KubeRayVersion
  /** Feature gates changed from the release's defaults. */
  gates?: Record<string, boolean>
}

const lintOptions = (options: LintWith) => {
  const version = options.version ?? '1.7.0'
  return { kuberayVersion: version, featureGates: { ...defaultFeatureGates(version), ...options.gates } }
}

export function lintYaml(text: string, options: LintWith = {}): FileResult {
  return lintText('rayjob.yaml', text, lintOptions(options))
}

/** Lints a file's bytes, as the action reads them (size, encoding and template checks included). */
export function lintFileBytes(bytes: Uint8Array, options: LintWith = {}): FileResult {
  return lintBytes('rayjob.yaml', bytes, lintOptions(options))
}

/** Where a finding should point, found in the YAML text the way a reader would find it. */
export interface Locator {
  /** The key the finding is on, e.g. `backoffLimit` (also as the first key of a list item, `- name:`). */
  key: string
  /** Point at the value after `key:` instead of the key. */
  value?: boolean
  /** Start searching after the first line containing this text (to pick one of several equal keys). */
  after?: string
}

/** 1-based line and column of a key (or its value) in YAML text. */
export function locate(text: string, locator: Locator): Position {
  const lines = text.split(/\r?\n/)
  let from = 0
  if (locator.after !== undefined) {
    from = lines.findIndex((line) => line.includes(locator.after!))
    if (from < 0) throw new Error(`"${locator.after}" is not in the YAML`)
    from++
  }
  const pattern = new RegExp(`^(\\s*(?:- )?)(["']?)${locator.key.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}\\2:( *)`)
  for (let i = from; i < lines.length; i++) {
    const match = pattern.exec(lines[i])
    if (!match) continue
    return { line: i + 1, column: locator.value ? match[0].length + 1 : match[1].length + 1 }
  }
  throw new Error(`key "${locator.key}" is not in the YAML`)
}

export const keyAt = (key: string, after?: string): Locator => ({ key, after })
export const valueAt = (key: string, after?: string): Locator => ({ key, value: true, after })

/** Where some text first appears (after the first line containing `after`), e.g. a key inside a flow mapping. */
export function textAt(text: string, needle: string, after?: string): Position {
  const lines = text.split(/\r?\n/)
  const from = after === undefined ? 0 : lines.findIndex((line) => line.includes(after)) + 1
  for (let i = from; i < lines.length; i++) {
    const column = lines[i].indexOf(needle)
    if (column >= 0) return { line: i + 1, column: column + 1 }
  }
  throw new Error(`"${needle}" is not in the YAML`)
}

/** A locator for text inside a line (flow mappings, values): resolved against the case's YAML. */
export interface TextLocator {
  text: string
  after?: string
}

export interface ExpectedFinding {
  ruleId: string
  /** The exact message, KubeRay's own where KubeRay has one. */
  message: string
  at: Locator | Position | TextLocator
  /** Default: error. */
  severity?: Severity
  /** Whether this is the one error KubeRay itself reports (KubeRay rules only; default false). */
  reported?: boolean
}

export interface RuleCase {
  /** KubeRay's unit-test name (TestFunction/case) where the case is one of KubeRay's, else what the case shows. */
  name: string
  yaml: string
  /** Lint these bytes as a file instead of the YAML text (`yaml` then only helps to locate). */
  bytes?: () => Uint8Array
  version?: KubeRayVersion
  gates?: Record<string, boolean>
  /** Findings that must be there; every other error-level finding must be absent unless `allowOtherErrors`. */
  findings: ExpectedFinding[]
  /** Rule ids that must not be reported (a near miss names the rule it nearly trips). */
  absent?: string[]
  /** The case is about one rule among other errors it cannot avoid (e.g. the schema's own message for the same mistake). */
  allowOtherErrors?: boolean
}

function resolve(text: string, at: Locator | Position | TextLocator): Position {
  if ('line' in at) return at
  if ('text' in at) return textAt(text, at.text, at.after)
  return locate(text, at)
}

/** What a test compares: the visible parts of a finding. */
export function visible(f: Finding): Record<string, unknown> {
  return { ruleId: f.ruleId, severity: f.severity, message: f.message, line: f.line, column: f.column, reported: f.kuberayReports === true }
}

export function expectedFinding(text: string, e: ExpectedFinding): Record<string, unknown> {
  const at = resolve(text, e.at)
  return { ruleId: e.ruleId, severity: e.severity ?? 'error', message: e.message, line: at.line, column: at.column, reported: e.reported ?? false }
}

/** Runs each case as a test: the expected findings are there with their message, position and severity. */
export function runRuleCases(cases: readonly RuleCase[]): void {
  test.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const { findings } = c.bytes ? lintFileBytes(c.bytes(), c) : lintYaml(c.yaml, c)
    const expected = c.findings.map((e) => expectedFinding(c.yaml, e))
    const actual = findings.map(visible)
    for (const e of expected) expect(actual).toContainEqual(e)
    const expectedIds = new Set(c.findings.map((e) => e.ruleId))
    if (!c.allowOtherErrors) {
      const otherErrors = actual.filter((f) => f.severity === 'error' && !expectedIds.has(f.ruleId as string))
      expect(otherErrors).toEqual([])
    }
    const present = new Set(findings.map((f) => f.ruleId))
    for (const id of c.absent ?? []) expect({ absent: id, present: present.has(id) }).toEqual({ absent: id, present: false })
  })
}

export const ids = (result: FileResult): string[] => result.findings.map((f) => f.ruleId)
