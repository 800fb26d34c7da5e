// The CEL rules (x-kubernetes-validations) of KubeRay's CRDs, evaluated with a real CEL
// implementation (@marcbachmann/cel-js) as the API server does on a create:
// - each rule is compiled (parsed and type-checked, `self` and `oldSelf` as dyn) once, cached by its text;
// - `self` is the field's value as the API server hands it to CEL: unknown fields and the nulls of
//   non-nullable fields pruned, integers of integer fields as CEL ints, numbers as doubles;
// - a transition rule (one that reads `oldSelf`) only runs on an update: on a create it is reported
//   as such, not evaluated;
// - a rule that does not compile, a runtime error, or a result that is not a bool gives "not evaluated"
//   (with the reason), never a verdict: the lint carries on. A value of the wrong type below the rule's
//   field is also "not evaluated" (the API server runs no rule on an object with a type error; the type
//   check reports it).
// KubeRay's rules use no Kubernetes extension function (isURL, quantity(), ...): none is registered,
// so a rule that needs one fails to compile, and __tests__/lint/schema/cel.test.ts fails for it.
import { Environment } from '@marcbachmann/cel-js'
import type { ASTNode, ParseResult } from '@marcbachmann/cel-js'
import data from './data.js'
import type { SchemaNode } from './types.js'

/** What evaluating one rule on one value gives. */
export type CelResult =
  /** The rule holds. */
  | { kind: 'true' }
  /** The rule does not hold: the API server rejects the object with the rule's message. */
  | { kind: 'false' }
  /** A transition rule (it reads oldSelf): it applies to updates only, so not to a create. */
  | { kind: 'transition' }
  /** No verdict: the rule did not compile, or failed at run time, or gave no bool. */
  | { kind: 'not-evaluated'; stage: 'compile' | 'eval'; reason: string }

/** A rule compiled once: a program to run, or why there is none. */
export type CompiledRule = { ok: true; transition: boolean; program: ParseResult } | { ok: false; reason: string }

/** The CEL environment, made on the first compile (most manifests set no field that carries a rule). */
let env: Environment | undefined
const celEnv = (): Environment => (env ??= new Environment().registerVariable('self', 'dyn').registerVariable('oldSelf', 'dyn'))

const compiled = new Map<string, CompiledRule>()

/** Compiles a rule (cached by its text): parse, then type-check; the result must be a bool. */
export function compileRule(rule: string): CompiledRule {
  let entry = compiled.get(rule)
  if (!entry) {
    entry = compile(rule)
    compiled.set(rule, entry)
  }
  return entry
}

function compile(rule: string): CompiledRule {
  try {
    const program = celEnv().parse(rule)
    const checked = program.check()
    if (!checked.valid) return { ok: false, reason: firstLine(checked.error?.message ?? 'type check failed') }
    if (checked.type !== 'bool' && checked.type !== 'dyn') return { ok: false, reason: `the rule gives ${checked.type}, not bool` }
    return { ok: true, transition: readsOldSelf(program.ast), program }
  } catch (error) {
    return { ok: false, reason: firstLine(error instanceof Error ? error.message : String(error)) }
  }
}

const firstLine = (message: string): string => message.split('\n')[0]

/** Whether the expression reads the variable oldSelf anywhere. */
function readsOldSelf(ast: ASTNode): boolean {
  const visit = (value: unknown): boolean => {
    if (Array.isArray(value)) return value.some(visit)
    if (typeof value !== 'object' || value === null || !('op' in value)) return false
    const node = value as ASTNode
    if (node.op === 'id') return node.args === 'oldSelf'
    if (node.op === 'value') return false
    return visit(node.args)
  }
  return visit(ast)
}

/**
 * Evaluates `rule` with `self` bound to `value`, the value of a field of type `schema` (the schema
 * node that carries the rule; without one, the value is taken as it is). The caller evaluates a rule
 * only where the field is present, as the API server does.
 */
export function evaluateRule(rule: string, value: unknown, schema?: SchemaNode): CelResult {
  const compiledRule = compileRule(rule)
  if (!compiledRule.ok) return { kind: 'not-evaluated', stage: 'compile', reason: compiledRule.reason }
  if (compiledRule.transition) return { kind: 'transition' }
  const self = toCel(schema, value)
  if (self === WRONG_TYPE) return { kind: 'not-evaluated', stage: 'eval', reason: 'a value of the wrong type (the type check reports it)' }
  let result: unknown
  try {
    result = compiledRule.program({ self })
  } catch (error) {
    return { kind: 'not-evaluated', stage: 'eval', reason: firstLine(error instanceof Error ? error.message : String(error)) }
  }
  if (typeof result !== 'boolean') return { kind: 'not-evaluated', stage: 'eval', reason: `the rule gave ${typeof result}, not a bool` }
  return { kind: result ? 'true' : 'false' }
}

const WRONG_TYPE = Symbol('wrong type')

function matchesType(schema: SchemaNode, value: unknown): boolean {
  if (schema.ios) return typeof value === 'string' || (typeof value === 'number' && Number.isInteger(value))
  switch (schema.t) {
    case undefined:
      return true
    case 'object':
      return typeof value === 'object' && value !== null && !Array.isArray(value)
    case 'array':
      return Array.isArray(value)
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value)
    case 'number':
      return typeof value === 'number'
    default:
      return typeof value === schema.t
  }
}

/**
 * The value as CEL sees it, or WRONG_TYPE where a value somewhere below does not have its schema's
 * type. Integers are CEL ints (bigint) where the schema says integer or int-or-string, or where there
 * is no schema (preserved unknown fields, as JSON integers decode to int64); other numbers are doubles.
 */
function toCel(schema: SchemaNode | undefined, value: unknown): unknown {
  if (value === null) return null
  if (schema && !matchesType(schema, value)) return WRONG_TYPE
  if (typeof value === 'number') {
    return Number.isInteger(value) && (!schema || schema.t === 'integer' || schema.ios || !schema.t) ? BigInt(value) : value
  }
  if (Array.isArray(value)) {
    const items = schema?.i === undefined ? undefined : data.nodes[schema.i]
    const list: unknown[] = []
    for (const item of value) {
      const converted = toCel(items, item)
      if (converted === WRONG_TYPE) return WRONG_TYPE
      list.push(converted)
    }
    return list
  }
  if (typeof value === 'object') {
    const map: Record<string, unknown> = {}
    for (const [key, item] of Object.entries(value)) {
      let child: SchemaNode | undefined
      if (schema) {
        const property = schema.p && Object.hasOwn(schema.p, key) ? schema.p[key] : undefined
        if (property !== undefined) child = data.nodes[property]
        else if (typeof schema.a === 'number') child = data.nodes[schema.a]
        // The API server prunes unknown fields before validating: CEL never sees them.
        else if (schema.a !== true && !schema.pu) continue
      }
      // ...and the nulls of non-nullable fields: has(self.x) is false for `x: null`.
      if (item === null && child && !child.n) continue
      const converted = toCel(child, item)
      if (converted === WRONG_TYPE) return WRONG_TYPE
      map[key] = converted
    }
    return map
  }
  return value
}
