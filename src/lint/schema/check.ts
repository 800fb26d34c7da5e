// The CRD schema of a KubeRay kind (RayJob, RayCluster, RayService, RayCronJob) in a release, applied as
// the API server does: structural checks (unknown fields, types, enums, required, ranges, list keys),
// the CEL rules, and CRD defaulting.
import { formatPath, isObj } from '../../manifest/model.js'
import type { Obj, Path } from '../../manifest/model.js'
import { evaluateRule } from './cel.js'
import data from './data.js'
import type { CrdVersionSchema, SchemaNode } from './types.js'

/** The KubeRay kinds whose CRD schemas are shipped (RayCronJob only from KubeRay 1.6). */
export type SchemaKind = 'RayJob' | 'RayCluster' | 'RayService' | 'RayCronJob'

export interface CrdSchema {
  release: string
  apiVersion: string
  kind: SchemaKind
  root: SchemaNode
  deprecationWarning?: string
}

export type SchemaProblemKind = 'unknown-field' | 'wrong-type' | 'enum' | 'required' | 'cel' | 'range' | 'duplicate-item'

export interface SchemaProblem {
  kind: SchemaProblemKind
  path: Path
  part: 'key' | 'value'
  message: string
  hint: string
}

const node = (index: number | undefined): SchemaNode | undefined => (index === undefined ? undefined : data.nodes[index])

/** A map's own entry (not one inherited from Object.prototype, such as "constructor"). */
const own = <T>(map: Record<string, T> | undefined, key: string): T | undefined => (map && Object.hasOwn(map, key) ? map[key] : undefined)

/** The API versions (with their schemas) the CRD of `kind` serves in `release`; undefined when the release has no such CRD. */
const versionsOf = (release: string, kind: SchemaKind): Record<string, CrdVersionSchema> | undefined => own(own(data.kinds, kind), release)

/**
 * The schema KubeRay's CRD of `kind` (RayJob unless given) in `release` serves for `apiVersion`
 * ("v1" or "v1alpha1"); undefined when that release does not serve that kind at that version
 * (RayCronJob before 1.6, or an API version the CRD lacks).
 */
export function crdSchema(release: string, apiVersion: string, kind: SchemaKind = 'RayJob'): CrdSchema | undefined {
  const served = own(versionsOf(release, kind), apiVersion)
  if (!served) return undefined
  return { release, apiVersion, kind, root: data.nodes[served.root], deprecationWarning: served.deprecationWarning }
}

/** The API versions the CRD of `kind` in `release` serves, in the CRD's order (e.g. ['v1', 'v1alpha1']); [] when it has no such CRD. */
export function servedVersions(release: string, kind: SchemaKind): string[] {
  return Object.keys(versionsOf(release, kind) ?? {})
}

const OBJECT_META_FIELDS = [
  'name', 'generateName', 'namespace', 'selfLink', 'uid', 'resourceVersion', 'generation', 'creationTimestamp',
  'deletionTimestamp', 'deletionGracePeriodSeconds', 'labels', 'annotations', 'ownerReferences', 'finalizers', 'managedFields'
]

const fieldName = formatPath

function typeOf(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'array'
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number'
  return typeof value === 'object' ? 'object' : typeof value
}

function typeMatches(schema: SchemaNode, value: unknown): boolean {
  const actual = typeOf(value)
  if (schema.ios) return actual === 'integer' || actual === 'string'
  if (!schema.t) return true
  if (schema.t === 'number') return actual === 'number' || actual === 'integer'
  return schema.t === actual
}

/** Validates a whole document of the schema's kind against the schema; the root `metadata` is checked as ObjectMeta. */
export function checkSchema(value: Obj, schema: CrdSchema): SchemaProblem[] {
  const problems: SchemaProblem[] = []
  checkObjectMeta(value.metadata, problems, schema.kind)
  const { metadata: _metadata, ...rest } = value
  void _metadata
  walk(schema.root, rest, [], problems, true)
  return problems
}

function checkObjectMeta(meta: unknown, problems: SchemaProblem[], kind: SchemaKind): void {
  const path = ['metadata']
  if (meta === undefined || meta === null) {
    problems.push({ kind: 'required', path: [], part: 'key', message: `metadata is required (a ${kind} needs metadata.name)`, hint: 'Add metadata.name.' })
    return
  }
  if (!isObj(meta)) {
    problems.push({ kind: 'wrong-type', path, part: 'value', message: `metadata in body must be of type object: "${typeOf(meta)}"`, hint: 'metadata is a mapping with name, namespace, labels, annotations.' })
    return
  }
  for (const key of Object.keys(meta)) {
    if (!OBJECT_META_FIELDS.includes(key)) {
      problems.push(unknownField([...path, key], OBJECT_META_FIELDS))
    }
  }
  if (meta.name === undefined && meta.generateName === undefined) {
    problems.push({ kind: 'required', path, part: 'key', message: 'metadata.name: Required value: name or generateName is required', hint: 'Add metadata.name.' })
  }
  for (const field of ['name', 'namespace', 'generateName']) {
    if (meta[field] !== undefined && typeof meta[field] !== 'string') {
      problems.push({ kind: 'wrong-type', path: [...path, field], part: 'value', message: `metadata.${field} in body must be of type string: "${typeOf(meta[field])}"`, hint: 'Quote the value.' })
    }
  }
  for (const field of ['labels', 'annotations']) {
    const map = meta[field]
    if (map === undefined || map === null) continue
    if (!isObj(map)) {
      problems.push({ kind: 'wrong-type', path: [...path, field], part: 'value', message: `metadata.${field} in body must be of type object: "${typeOf(map)}"`, hint: `metadata.${field} is a mapping of strings to strings.` })
      continue
    }
    for (const [k, v] of Object.entries(map)) {
      if (typeof v !== 'string') {
        problems.push({
          kind: 'wrong-type',
          path: [...path, field, k],
          part: 'value',
          message: `metadata.${field}.${k} in body must be of type string: "${typeOf(v)}"`,
          hint: 'Quote the value: label and annotation values are strings (e.g. "true", "1").'
        })
      }
    }
  }
}

function walk(schema: SchemaNode, value: unknown, path: Path, problems: SchemaProblem[], root = false): void {
  // The API server prunes nulls of non-nullable fields before validating: they count as absent.
  if (value === null) return
  if (!typeMatches(schema, value)) {
    const expected = schema.ios ? 'integer or string' : schema.t
    problems.push({
      kind: 'wrong-type',
      path,
      part: 'value',
      message: `${fieldName(path)} in body must be of type ${expected}: "${typeOf(value)}"`,
      hint: typeof value === 'string' && (schema.t === 'integer' || schema.t === 'number' || schema.t === 'boolean') ? `Remove the quotes: write ${value} as ${schema.t === 'integer' ? 'an' : 'a'} ${schema.t}, not a string.` : `Write a value of type ${expected}.`
    })
    return
  }
  if (schema.e && !schema.e.includes(value)) {
    problems.push({
      kind: 'enum',
      path,
      part: 'value',
      message: `${fieldName(path)}: Unsupported value: ${JSON.stringify(value)}: supported values: ${schema.e.map((e) => JSON.stringify(e)).join(', ')}`,
      hint: `Use one of ${schema.e.join(', ')}.`
    })
  }
  checkRanges(schema, value, path, problems)
  if (schema.c) checkCel(schema, value, path, problems)
  if (isObj(value)) walkObject(schema, value, path, problems, root)
  else if (Array.isArray(value)) walkArray(schema, value, path, problems)
}

function walkObject(schema: SchemaNode, value: Obj, path: Path, problems: SchemaProblem[], root: boolean): void {
  const properties = schema.p ?? {}
  for (const name of schema.r ?? []) {
    if (value[name] === undefined || value[name] === null) {
      problems.push({ kind: 'required', path: [...path, name], part: 'key', message: `${fieldName([...path, name])}: Required value`, hint: `Add ${name} under ${fieldName(path) || 'the document'}.` })
    }
  }
  const additional = typeof schema.a === 'number' ? node(schema.a) : undefined
  for (const [key, child] of Object.entries(value)) {
    const childPath = [...path, key]
    const propertyIndex = Object.hasOwn(properties, key) ? properties[key] : undefined
    if (propertyIndex !== undefined) walk(data.nodes[propertyIndex], child, childPath, problems)
    else if (additional) walk(additional, child, childPath, problems)
    else if (schema.a === true || schema.pu) continue
    else if (root && (key === 'apiVersion' || key === 'kind')) continue
    else problems.push(unknownField(childPath, Object.keys(properties)))
  }
}

function walkArray(schema: SchemaNode, value: unknown[], path: Path, problems: SchemaProblem[]): void {
  const items = node(schema.i)
  value.forEach((item, i) => items && walk(items, item, [...path, i], problems))
  if (schema.lt === 'map' && schema.lk?.length) {
    const seen = new Map<string, number>()
    value.forEach((item, i) => {
      if (!isObj(item)) return
      const key = JSON.stringify(schema.lk!.map((k) => item[k]))
      if (seen.has(key)) {
        // A missing key is null (Go's nil), as JSON.stringify counted it in `key` above; not `undefined`.
        const described = schema.lk!.map((k) => `${k}: ${JSON.stringify(item[k] ?? null)}`).join(', ')
        problems.push({ kind: 'duplicate-item', path: [...path, i], part: 'key', message: `${fieldName([...path, i])}: Duplicate value: {${described}}`, hint: `Each entry of ${fieldName(path)} needs a distinct ${schema.lk!.join('/')}.` })
      }
      seen.set(key, i)
    })
  } else if (schema.lt === 'set') {
    const seen = new Set<string>()
    value.forEach((item, i) => {
      const key = JSON.stringify(item)
      if (seen.has(key)) problems.push({ kind: 'duplicate-item', path: [...path, i], part: 'value', message: `${fieldName([...path, i])}: Duplicate value: ${key}`, hint: 'Remove the repeated entry.' })
      seen.add(key)
    })
  }
}

function checkRanges(schema: SchemaNode, value: unknown, path: Path, problems: SchemaProblem[]): void {
  const add = (message: string, hint: string): void => {
    problems.push({ kind: 'range', path, part: 'value', message: `${fieldName(path)}: Invalid value: ${JSON.stringify(value)}: ${fieldName(path)} in body ${message}`, hint })
  }
  if (typeof value === 'number') {
    if (schema.mn !== undefined && value < schema.mn) add(`should be greater than or equal to ${schema.mn}`, `Use ${schema.mn} or more.`)
    if (schema.mx !== undefined && value > schema.mx) add(`should be less than or equal to ${schema.mx}`, `Use ${schema.mx} or less.`)
    if (schema.f === 'int32' && Number.isInteger(value) && (value > 2147483647 || value < -2147483648)) add('must fit in a 32-bit integer', 'Use a value between -2147483648 and 2147483647.')
  }
  if (typeof value === 'string') {
    if (schema.mnl !== undefined && value.length < schema.mnl) add(`should be at least ${schema.mnl} chars long`, `Use at least ${schema.mnl} characters.`)
    if (schema.mxl !== undefined && value.length > schema.mxl) add(`may not be more than ${schema.mxl} bytes`, `Use at most ${schema.mxl} characters.`)
    if (schema.pt !== undefined && !safeRegex(schema.pt).test(value)) add(`should match '${schema.pt}'`, `Write a value matching ${schema.pt}.`)
  }
  if (Array.isArray(value)) {
    if (schema.mni !== undefined && value.length < schema.mni) add(`should have at least ${schema.mni} items`, `Give at least ${schema.mni} item(s), or remove the field.`)
    if (schema.mxi !== undefined && value.length > schema.mxi) add(`should have at most ${schema.mxi} items`, `Give at most ${schema.mxi} items.`)
  }
}

const regexCache = new Map<string, RegExp>()
function safeRegex(pattern: string): RegExp {
  let re = regexCache.get(pattern)
  if (!re) {
    try {
      re = new RegExp(pattern, 'u')
    } catch {
      re = /^/
    }
    regexCache.set(pattern, re)
  }
  return re
}

function unknownField(path: Path, known: string[]): SchemaProblem {
  const name = String(path[path.length - 1])
  const suggestion = closest(name, known)
  return {
    kind: 'unknown-field',
    path,
    part: 'key',
    message: `unknown field "${fieldName(path)}"${suggestion ? ` (did you mean "${suggestion}"?)` : ''}`,
    hint: suggestion
      ? `Rename it to ${suggestion}: the API server drops unknown fields without a word (or rejects them with strict field validation).`
      : 'Remove it or move it where it belongs: the API server drops unknown fields without a word (or rejects them with strict field validation).'
  }
}

/** The known name closest to a typo (edit distance ≤ 2, or the same but for case). */
export function closest(name: string, known: string[]): string | undefined {
  let best: string | undefined
  let bestDistance = 3
  for (const candidate of known) {
    if (candidate.toLowerCase() === name.toLowerCase()) return candidate
    const d = editDistance(name, candidate)
    if (d < bestDistance) {
      best = candidate
      bestDistance = d
    }
  }
  return best
}

function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 2) return 3
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i)
  for (let i = 1; i <= a.length; i++) {
    const current = [i]
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1))
    }
    previous = current
  }
  return previous[b.length]
}

function checkCel(schema: SchemaNode, value: unknown, path: Path, problems: SchemaProblem[]): void {
  for (const [rule, message] of schema.c ?? []) {
    // Only a rule that evaluates to false is a finding: a transition rule (oldSelf) does not apply to a
    // create, and a rule that could not be evaluated (see cel.ts) gives no verdict.
    if (evaluateRule(rule, value, schema).kind === 'false') {
      // The API server names the schema type where a CEL rule fails: `Invalid value: "object": <message>`.
      problems.push({ kind: 'cel', path, part: 'key', message: `${fieldName(path)}: Invalid value: "${schema.t ?? typeOf(value)}": ${message}`, hint: message })
    }
  }
}

/**
 * A CEL rule of a CRD on a value (see cel.ts): true or false, or undefined where there is no verdict
 * (a transition rule, which applies to updates only, or a rule that could not be evaluated).
 */
export function evaluateCel(rule: string, self: unknown, schema?: SchemaNode): boolean | undefined {
  const result = evaluateRule(rule, self, schema)
  return result.kind === 'true' ? true : result.kind === 'false' ? false : undefined
}

/**
 * A copy of the document with the CRD's defaults applied where fields are absent, as the API server
 * stores it. The input is not changed. Only the objects and arrays on the way to a default are copied;
 * the rest is shared with the input (the linter reads documents, it never changes them).
 */
export function applyDefaults<T>(value: T, schema: CrdSchema): T {
  const result = withDefaults(schema.root, value)
  return (result === value && isObj(value) ? { ...value } : result) as T
}

const defaultedLists = new WeakMap<SchemaNode, [string, SchemaNode][]>()
/** A node's properties that have a default, as [name, node] pairs in schema order (made once per node). */
function defaultedOf(schema: SchemaNode): [string, SchemaNode][] {
  let list = defaultedLists.get(schema)
  if (!list) {
    list = Object.entries(schema.p ?? {}).map(([key, index]): [string, SchemaNode] => [key, data.nodes[index]]).filter(([, child]) => child.d !== undefined)
    defaultedLists.set(schema, list)
  }
  return list
}

/** A default's own copy (most defaults are strings, numbers or booleans, which need none). */
const copyOf = (value: unknown): unknown => (typeof value === 'object' && value !== null ? structuredClone(value) : value)

/** `value` with the defaults of `schema` filled in below it: `value` itself when none applies, else a copy. */
function withDefaults(schema: SchemaNode, value: unknown): unknown {
  if (isObj(value)) {
    let copy: Obj | undefined
    const properties = schema.p
    if (properties) {
      // The fields present (a schema has many more properties than a manifest sets), then the absent ones with a default.
      for (const key of Object.keys(value)) {
        if (!Object.hasOwn(properties, key)) continue
        const child = data.nodes[properties[key]]
        const current = value[key]
        let next = current
        if ((next === undefined || next === null) && child.d !== undefined) next = copyOf(child.d)
        if (next !== undefined) next = withDefaults(child, next)
        if (next !== current) (copy ??= { ...value })[key] = next
      }
      for (const [key, child] of defaultedOf(schema)) {
        if (!Object.hasOwn(value, key)) (copy ??= { ...value })[key] = withDefaults(child, copyOf(child.d))
      }
    }
    const additional = typeof schema.a === 'number' ? data.nodes[schema.a] : undefined
    if (additional) {
      for (const key of Object.keys(value)) {
        if (schema.p?.[key]) continue
        const current = (copy ?? value)[key]
        // The API server drops a null map value (PruneNonNullableNullsWithoutDefaults): KubeRay never sees the key.
        if (current === null && !additional.n && additional.d === undefined) {
          delete (copy ??= { ...value })[key]
          continue
        }
        const next = withDefaults(additional, current)
        if (next !== current) (copy ??= { ...value })[key] = next
      }
    }
    return copy ?? value
  }
  if (Array.isArray(value) && schema.i !== undefined) {
    const items = data.nodes[schema.i]
    let copy: unknown[] | undefined
    value.forEach((item, i) => {
      const next = withDefaults(items, item)
      if (next !== item) (copy ??= value.slice())[i] = next
    })
    return copy ?? value
  }
  return value
}
