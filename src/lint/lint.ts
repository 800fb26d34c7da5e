// Documents × rules → findings. Pure: the caller supplies bytes and settings.
import { readManifest, readManifestSync } from './documents.js'
import type { ReadProblem, SourceDocument, YamlReader } from './documents.js'
import { loadYaml, normalizeLineBreaks, readDocumentsSync, yamlNeededFor } from '../yaml/index.js'
import { noKinds } from './findings.js'
import type { Finding, KindCounts } from './findings.js'
import { RAY_KINDS, formatPath, get, isObj, obj, rayKindOf, str } from '../manifest/model.js'
import type { Obj, Path, RayKind } from '../manifest/model.js'
import { ALL_RULES, KIND_PLANS, SCHEMA_RULE, rule as namedRule, ruleInfo } from './rules/registry.js'
import type { RuleEntry } from './rules/types.js'
import { applyDefaults, checkSchema, closest, crdSchema, servedVersions } from './schema/check.js'
import type { CrdSchema } from './schema/check.js'
import { kuberayHits, stuckHits } from './validate.js'
import { compareVersions, crdReleaseFor } from './versions.js'
import type { FeatureGates, KubeRayVersion } from './versions.js'

export interface LintOptions {
  kuberayVersion: KubeRayVersion
  featureGates: FeatureGates
  /** How the YAML is read: `fast` (the default) or `reference` (only `yaml`; tests prove the two agree). */
  yamlReader?: YamlReader
  /** Keep each RayJob document's value in the result (submit takes the one it creates from there). */
  keepRayJobs?: boolean
}

/** A RayJob document as the lint read it, and where it starts. */
export interface RayJobDocument {
  file: string
  line: number
  value: Obj
}

/** A KubeRay object of another kind than RayJob, kept (with keepRayJobs) so that submit can say what it passed over. */
export interface OtherKindDocument {
  file: string
  line: number
  kind: RayKind
  name: string
}

export interface FileResult {
  /** RayJob documents found and checked. */
  rayJobs: number
  /** KubeRay objects found and checked, by kind. */
  kinds: KindCounts
  findings: Finding[]
  /** With keepRayJobs: the RayJob documents, in file order. */
  documents?: RayJobDocument[]
  /** With keepRayJobs: the KubeRay objects of other kinds. */
  others?: OtherKindDocument[]
}

/**
 * Lints one file's bytes: every RayJob document in it, and anything that kept it from being read.
 * Loads `yaml` if the file needs it (most files do not: see src/yaml).
 */
export async function lintFile(file: string, bytes: Uint8Array, options: LintOptions): Promise<FileResult> {
  const linted = documentLinter(options)
  const { problems } = await readManifest(file, bytes, linted.eachLoadingYaml, options.yamlReader)
  return linted.result(file, problems, () => new TextDecoder().decode(bytes))
}

/** lintFile, synchronously: for callers that loaded `yaml` already (`await loadYaml()`; the tests do, once). */
export function lintBytes(file: string, bytes: Uint8Array, options: LintOptions): FileResult {
  const linted = documentLinter(options)
  const { problems } = readManifestSync(file, bytes, linted.each, options.yamlReader)
  return linted.result(file, problems, () => new TextDecoder().decode(bytes))
}

/** Lints YAML text, synchronously like lintBytes (the tests use it directly). */
export function lintText(file: string, text: string, options: LintOptions): FileResult {
  const linted = documentLinter(options)
  const { problems } = readDocumentsSync(file, text, linted.each, options.yamlReader)
  return linted.result(file, problems, () => text)
}

/**
 * The YAML texts inside a document that the rules read (runtime-env-yaml-invalid reads
 * spec.runtimeEnvYAML as KubeRay does), for lintFile to load `yaml` before the rules need it.
 */
function yamlInside(value: unknown): string[] {
  const kind = rayKindOf(value)
  const spec = obj(get(value, ['spec']))
  if (!kind || !spec) return []
  const texts = [spec.runtimeEnvYAML, spec.serveConfigV2, get(spec, ['jobTemplate', 'runtimeEnvYAML'])]
  return texts.filter((t): t is string => typeof t === 'string')
}

/**
 * Lints each document as the parser hands it over (so a file's syntax trees need not all be kept);
 * the result lists the read problems first, then the documents' findings in order.
 */
function documentLinter(options: LintOptions) {
  const documentFindings: Finding[] = []
  const documents: RayJobDocument[] = []
  const others: OtherKindDocument[] = []
  const kinds = noKinds()
  const each = (doc: SourceDocument): void => {
    const result = lintDocument(doc, options)
    if (!result) return
    kinds[result.kind]++
    if (options.keepRayJobs) {
      const value = doc.value as Obj
      if (result.kind === 'RayJob') documents.push({ file: doc.file, line: doc.start.line, value })
      else others.push({ file: doc.file, line: doc.start.line, kind: result.kind, name: str(get(value, ['metadata', 'name'])) ?? '(unnamed)' })
    }
    // One at a time: push(...result) passes each finding as an argument, past about 100,000 more than the stack holds.
    for (const finding of result.findings) documentFindings.push(finding)
  }
  return {
    each,
    /** each, after loading `yaml` if the rules will need it for YAML inside the document. */
    eachLoadingYaml(doc: SourceDocument): void | Promise<void> {
      if (yamlInside(doc.value).some(yamlNeededFor)) return loadYaml().then(() => each(doc))
      each(doc)
    },
    result(file: string, problems: ReadProblem[], text: () => string): FileResult {
      let mentions: boolean | undefined
      const mentionsRayJob = (): boolean => (mentions ??= RAYJOB_MENTION.test(normalizeLineBreaks(text()).replaceAll('\0', '')))
      const findings: Finding[] = problems.map((p) => readProblemFinding(file, p, mentionsRayJob))
      for (const finding of documentFindings) findings.push(finding)
      const counted = { rayJobs: kinds.RayJob, kinds, findings }
      return options.keepRayJobs ? { ...counted, documents, others } : counted
    }
  }
}

/** `kind: RayJob` (or another KubeRay kind) on a line of its own (NUL bytes dropped, so that UTF-16 text without a byte order mark shows it too). */
const RAYJOB_MENTION = new RegExp(`^\\s*kind:\\s*["']?(?:${RAY_KINDS.join('|')})["']?\\s*$`, 'm')

/**
 * Problems that leave a file unjudged, which are only a note in a file that does not mention a
 * RayJob: a syntax error in a Helm template or a workflow, a template, a binary file are not this
 * linter's business to fail on; in a file that could hold a RayJob they are the rule's warning or
 * error, so that no RayJob passes the lint unchecked.
 */
const NOTE_WITHOUT_RAYJOB: ReadonlySet<ReadProblem['kind']> = new Set(['yaml-syntax', 'file-template', 'file-binary'])

function readProblemFinding(file: string, problem: ReadProblem, mentionsRayJob: () => boolean): Finding {
  const rule = namedRule(problem.kind)
  let severity = rule.severity
  if (NOTE_WITHOUT_RAYJOB.has(problem.kind) && !mentionsRayJob()) severity = 'note'
  return { ruleId: rule.id, severity, message: problem.message, hint: rule.hint, file, line: problem.position.line, column: problem.position.column }
}

/** One KubeRay object's findings. */
export interface DocumentLint {
  kind: RayKind
  findings: Finding[]
}

/** Findings for one document, or undefined when it is not a KubeRay object. */
export function lintDocument(doc: SourceDocument, options: LintOptions): DocumentLint | undefined {
  const value = doc.value
  const kind = rayKindOf(value)
  if (!kind || !isObj(value)) return undefined
  const apiVersion = str(value.apiVersion) ?? ''
  const object = describe(kind, value)
  const findings: Finding[] = []
  const add = (rule: RuleEntry, message: string, path: Path, part: 'key' | 'value' = 'key', hint: string = rule.hint): Finding => {
    const position = doc.locate(path, part)
    const finding: Finding = {
      ruleId: rule.id,
      severity: rule.severity,
      message,
      hint,
      file: doc.file,
      line: position.line,
      column: position.column,
      field: formatPath(path) || undefined,
      object
    }
    findings.push(finding)
    return finding
  }
  const done = (): DocumentLint => ({ kind, findings: applySuppressions(doc, findings) })

  const servedVersion = apiVersion.slice('ray.io/'.length)
  const release = crdReleaseFor(options.kuberayVersion)
  const schema = crdSchema(release, servedVersion, kind)
  if (!schema) {
    add(namedRule('api-version-not-served'), notServed(kind, apiVersion, options.kuberayVersion, release), ['apiVersion'], 'value')
    return done()
  }
  if (schema.deprecationWarning !== undefined || servedVersion === 'v1alpha1') {
    add(namedRule('api-version-deprecated'), schema.deprecationWarning || `${apiVersion} ${kind} is deprecated; use ray.io/v1 ${kind}`, ['apiVersion'], 'value')
  }

  // The API server fills in defaults before it validates, so a defaulted field is never "required but missing".
  const defaulted = applyDefaults(value, schema)
  for (const problem of checkSchema(defaulted, schema)) {
    // The schema check knows the fix for this very field ("Rename it to backoffLimit"): better than the rule's generic hint.
    add(namedRule(SCHEMA_RULE[problem.kind]), problem.message, problem.path, problem.part, problem.hint)
  }
  // The v1 CRD required spec.entrypoint up to KubeRay 1.2.1 (the 1.2.2 schema shipped here no longer does).
  if (kind === 'RayJob' && schema.release === '1.2.2' && compareVersions(options.kuberayVersion, '1.2.2') < 0 && isObj(value.spec) && value.spec.entrypoint === undefined) {
    add(namedRule('schema-required'), 'spec.entrypoint: Required value', ['spec'])
  }

  const judged = { object: asOperatorReadsIt(defaulted, schema), written: value, version: options.kuberayVersion, gates: options.featureGates }
  const plan = KIND_PLANS[kind]
  for (const hit of kuberayHits(plan, judged)) {
    add(hit.rule, hit.message, hit.path, hit.part).kuberayReports = hit.reported
  }
  for (const hit of stuckHits(plan, judged)) add(hit.rule, hit.message, hit.path, hit.part)
  return done()
}

/** Why a release has no schema for the object: the kind is newer than the release, or the version is not served. */
function notServed(kind: RayKind, apiVersion: string, version: KubeRayVersion, release: string): string {
  if (servedVersions(release, kind).length === 0) return `KubeRay ${version} has no ${kind} (${kind} is new in KubeRay ${KIND_PLANS[kind].since})`
  return `KubeRay ${version} does not serve ${apiVersion} ${kind}s`
}

/**
 * The operator reads every object as ray.io/v1, and the API server fills in the v1 defaults on
 * that read too: a v1alpha1 RayJob (which has no submissionMode) runs as K8sJobMode.
 */
function asOperatorReadsIt(object: Obj, schema: CrdSchema): Obj {
  if (schema.apiVersion === 'v1') return object
  const v1 = crdSchema(schema.release, 'v1', schema.kind)
  return v1 ? applyDefaults(object, v1) : object
}

function describe(kind: RayKind, value: Obj): string {
  const name = str(get(value, ['metadata', 'name'])) ?? str(get(value, ['metadata', 'generateName'])) ?? '(unnamed)'
  const namespace = str(get(value, ['metadata', 'namespace']))
  return `${kind} ${namespace ? `${namespace}/` : ''}${name}`
}

/** `# rayjob-lint-disable rule-a, rule-b`, or with no ids for every rule. */
const SUPPRESSION = /^\s*rayjob-lint-disable\b(?:[ \t:]+([A-Za-z0-9, \t-]+))?/

/** A suppression comment anywhere in a document silences those rules for that document only. */
function applySuppressions(doc: SourceDocument, findings: Finding[]): Finding[] {
  if (findings.length === 0) return findings
  const disabled = new Set<string>()
  let all = false
  for (const comment of doc.commentsWith('rayjob-lint-disable')) {
    const match = SUPPRESSION.exec(comment)
    if (!match) continue
    const ids = (match[1] ?? '').split(/[\s,]+/).filter(Boolean)
    if (ids.length === 0) all = true
    ids.forEach((id) => disabled.add(id))
  }
  for (const finding of findings) {
    if (all || disabled.has(finding.ruleId)) finding.suppressed = true
  }
  // A misspelt id silences nothing: say so, or the finding it was meant for looks like a bug.
  const unknown = [...disabled].filter((id) => !ruleInfo(id))
  if (unknown.length > 0) findings.push(unknownSuppression(doc, unknown, findings[0].object))
  return findings
}

function unknownSuppression(doc: SourceDocument, ids: string[], object: string | undefined): Finding {
  const rule = namedRule('lint-disable-unknown-rule')
  const named = ids.map((id) => {
    const suggestion = closest(id, ALL_RULES.map((r) => r.id))
    return `"${id}"${suggestion ? ` (did you mean "${suggestion}"?)` : ''}`
  })
  return {
    ruleId: rule.id,
    severity: rule.severity,
    message: `rayjob-lint-disable names ${named.join(', ')}, which ${ids.length > 1 ? 'are not rules' : 'is not a rule'} of rayjob-action: it silences nothing`,
    hint: rule.hint,
    file: doc.file,
    line: doc.start.line,
    column: doc.start.column,
    object
  }
}
