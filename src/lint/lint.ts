// Documents × rules → findings. Pure: the caller supplies bytes and settings.
import { readManifest, readManifestSync } from './documents.js'
import type { ReadProblem, SourceDocument, YamlReader } from './documents.js'
import { loadYaml, normalizeLineBreaks, readDocumentsSync, yamlNeededFor } from '../yaml/index.js'
import type { Finding } from './findings.js'
import { formatPath, get, isObj, isRayJob, str } from '../manifest/model.js'
import type { Obj, Path } from '../manifest/model.js'
import { ALL_RULES, KUBERAY_RULES, SCHEMA_RULE, STUCK_RULES, rule as namedRule, ruleInfo } from './rules/registry.js'
import type { JobView, Params, RuleDefinition, RuleEntry, Violation } from './rules/types.js'
import { makeView } from './rules/types.js'
import { applyDefaults, checkSchema, closest, crdSchema } from './schema/check.js'
import type { CrdSchema } from './schema/check.js'
import { atLeast, compareVersions, crdReleaseFor } from './versions.js'
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

export interface FileResult {
  /** RayJob documents found and checked. */
  rayJobs: number
  findings: Finding[]
  /** With keepRayJobs: the RayJob documents, in file order. */
  documents?: RayJobDocument[]
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
  if (!isRayJob(value) || !isObj(value.spec)) return []
  const runtimeEnv = value.spec.runtimeEnvYAML
  return typeof runtimeEnv === 'string' ? [runtimeEnv] : []
}

/**
 * Lints each document as the parser hands it over (so a file's syntax trees need not all be kept);
 * the result lists the read problems first, then the documents' findings in order.
 */
function documentLinter(options: LintOptions) {
  const documentFindings: Finding[] = []
  const documents: RayJobDocument[] = []
  let rayJobs = 0
  const each = (doc: SourceDocument): void => {
    const result = lintDocument(doc, options)
    if (!result) return
    rayJobs++
    if (options.keepRayJobs) documents.push({ file: doc.file, line: doc.start.line, value: doc.value as Obj })
    // One at a time: push(...result) passes each finding as an argument, past about 100,000 more than the stack holds.
    for (const finding of result) documentFindings.push(finding)
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
      return options.keepRayJobs ? { rayJobs, findings, documents } : { rayJobs, findings }
    }
  }
}

/** `kind: RayJob` on a line of its own (NUL bytes dropped, so that UTF-16 text without a byte order mark shows it too). */
const RAYJOB_MENTION = /^\s*kind:\s*["']?RayJob["']?\s*$/m

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

/** Findings for one document, or undefined when it is not a RayJob. */
export function lintDocument(doc: SourceDocument, options: LintOptions): Finding[] | undefined {
  const value = doc.value
  if (!isRayJob(value)) return undefined
  const apiVersion = str(value.apiVersion) ?? ''
  const object = describe(value)
  const findings: Finding[] = []
  const at = (path: Path, part: 'key' | 'value' = 'key') => doc.locate(path, part)
  const add = (rule: RuleEntry, message: string, path: Path, part: 'key' | 'value' = 'key', hint: string = rule.hint): Finding => {
    const position = at(path, part)
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

  const servedVersion = apiVersion.slice('ray.io/'.length)
  const schema = crdSchema(crdReleaseFor(options.kuberayVersion), servedVersion)
  if (!schema) {
    add(namedRule('api-version-not-served'), `KubeRay ${options.kuberayVersion} does not serve ${apiVersion} RayJobs`, ['apiVersion'], 'value')
    return applySuppressions(doc, findings)
  }
  if (schema.deprecationWarning !== undefined || servedVersion === 'v1alpha1') {
    add(namedRule('api-version-deprecated'), schema.deprecationWarning || `${apiVersion} RayJob is deprecated; use ray.io/v1 RayJob`, ['apiVersion'], 'value')
  }

  // The API server fills in defaults before it validates, so a defaulted field is never "required but missing".
  const job = applyDefaults(value, schema)
  for (const problem of checkSchema(job, schema)) {
    // The schema check knows the fix for this very field ("Rename it to backoffLimit"): better than the rule's generic hint.
    add(namedRule(SCHEMA_RULE[problem.kind]), problem.message, problem.path, problem.part, problem.hint)
  }
  // The v1 CRD required spec.entrypoint up to KubeRay 1.2.1 (the 1.2.2 schema shipped here no longer does).
  if (schema.release === '1.2.2' && compareVersions(options.kuberayVersion, '1.2.2') < 0 && isObj(value.spec) && value.spec.entrypoint === undefined) {
    add(namedRule('schema-required'), 'spec.entrypoint: Required value', ['spec'])
  }

  const view = makeView(asOperatorReadsIt(job, schema), options.kuberayVersion, options.featureGates, value)
  const kuberay = runRules(KUBERAY_RULES, view)
  markWhatKubeRayReports(kuberay)
  for (const { rule, violation } of kuberay) {
    const finding = add(rule, renderMessage(rule, violation.params, options.kuberayVersion), violation.path, violation.part)
    finding.kuberayReports = violation.reported
  }
  for (const { rule, violation } of runRules(STUCK_RULES, view)) {
    add(rule, renderMessage(rule, violation.params, options.kuberayVersion), violation.path, violation.part)
  }
  return applySuppressions(doc, findings)
}

/**
 * The operator reads every RayJob as ray.io/v1, and the API server fills in the v1 defaults on
 * that read too: a v1alpha1 RayJob (which has no submissionMode) runs as K8sJobMode.
 */
function asOperatorReadsIt(job: Obj, schema: CrdSchema): Obj {
  if (schema.apiVersion === 'v1') return job
  const v1 = crdSchema(schema.release, 'v1')
  return v1 ? applyDefaults(job, v1) : job
}

function describe(value: Obj): string {
  const name = str(get(value, ['metadata', 'name'])) ?? str(get(value, ['metadata', 'generateName'])) ?? '(unnamed)'
  const namespace = str(get(value, ['metadata', 'namespace']))
  return `RayJob ${namespace ? `${namespace}/` : ''}${name}`
}

interface Hit {
  rule: RuleDefinition
  violation: Violation & { reported?: boolean }
  /** Position in KubeRay's evaluation order. */
  order: [number, number, number]
}

function appliesTo(rule: RuleDefinition, view: JobView): boolean {
  if (!atLeastRemembered(view.version, rule.since)) return false
  if (rule.until && atLeastRemembered(view.version, rule.until)) return false
  return rule.when ? rule.when(view) : true
}

const atLeastAnswers = new Map<string, Map<string, boolean>>()
/** atLeast, remembered: every rule asks it for every document, and there are only a few versions. */
function atLeastRemembered(version: string, since: string): boolean {
  let answers = atLeastAnswers.get(version)
  if (!answers) atLeastAnswers.set(version, (answers = new Map()))
  let answer = answers.get(since)
  if (answer === undefined) answers.set(since, (answer = atLeast(version, since)))
  return answer
}

function runRules(rules: readonly RuleDefinition[], view: JobView): Hit[] {
  const hits: Hit[] = []
  const firstLoopRule = rules.findIndex((r) => r.workerLoop)
  rules.forEach((rule, index) => {
    if (!appliesTo(rule, view)) return
    const result = rule.check(view)
    const violations = result === undefined ? [] : Array.isArray(result) ? result : [result]
    for (const violation of violations) {
      // KubeRay runs all per-group checks for group 0, then group 1, ...: order those by group first.
      const order: Hit['order'] = rule.workerLoop ? [firstLoopRule, violation.loopIndex ?? 0, index] : [index, 0, 0]
      hits.push({ rule, violation: { ...violation }, order })
    }
  })
  return hits
}

/** KubeRay stops at its first failing check (the deletionRules checks are joined into one error): mark that one. */
function markWhatKubeRayReports(hits: Hit[]): void {
  if (hits.length === 0) return
  const cmp = (a: Hit, b: Hit) => a.order[0] - b.order[0] || a.order[1] - b.order[1] || a.order[2] - b.order[2]
  const first = [...hits].sort(cmp)[0]
  for (const hit of hits) {
    const joined = first.rule.joinGroup !== undefined && hit.rule.joinGroup === first.rule.joinGroup
    hit.violation.reported = hit === first || joined
  }
}

const PREFIXES = { metadata: 'The RayJob metadata is invalid: ', spec: 'The RayJob spec is invalid: ', none: '' }

/** The message KubeRay (or the linter) gives for a violation, with KubeRay's prefix where that release adds one. */
export function renderMessage(rule: RuleDefinition, params: Params | undefined, version: KubeRayVersion): string {
  const template = typeof rule.message === 'function' ? rule.message(version) : rule.message
  const text = template.replace(/\{(\w+)\}/g, (whole, key: string) => (params && key in params ? String(params[key]) : whole))
  const prefix = rule.source === 'kuberay' && atLeast(version, '1.5.0') ? PREFIXES[rule.prefix ?? 'none'] : ''
  return prefix + text
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
