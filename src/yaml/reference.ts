// Reading with the `yaml` library (loaded lazily: library.ts), with the one set of options
// (options.ts). What the fast reader declines, and whole files it cannot split exactly, are read
// here; so is every file when the reference reader is asked for (the tests compare the two).
// Everything here runs after loadYaml(): the callers check yamlLoaded() first.
import type { Document, LineCounter, Node as YamlNode, YAMLError } from 'yaml'
import { isObj } from '../manifest/model.js'
import type { Path } from '../manifest/model.js'
import { yamlLibrary } from './library.js'
import { KUBERNETES_YAML } from './options.js'
import type { Position } from './text.js'

/**
 * Alias expansions allowed per document before it is treated as an alias bomb (`yaml` weighs each
 * use of an anchor by the aliases inside it, so an image anchor used a few hundred times is fine,
 * while nested anchors that multiply stop after a handful of levels).
 */
export const MAX_ALIAS_COUNT = 10_000

// YAML as Kubernetes reads it (options.ts). Duplicate keys are found by inspectDocument, not by
// `yaml` (uniqueKeys: false): its own check compares each key with every key before it, minutes for
// a mapping of 300,000 keys.
const composerOptions = (lineCounter?: LineCounter) => ({ ...KUBERNETES_YAML, uniqueKeys: false, lineCounter, prettyErrors: false, logLevel: 'error' }) as const

/**
 * The documents of the text, one at a time, as `yaml` composes them, each inspected
 * (inspectDocument): with `duplicateKeys`, a repeated key is among its errors.
 */
export function* composeDocuments(text: string, lineCounter?: LineCounter, duplicateKeys = true): Generator<Document.Parsed> {
  const { Composer, Parser } = yamlLibrary()
  const parser = new Parser(lineCounter?.addNewLine)
  const composer = new Composer(composerOptions(lineCounter))
  // One document is held back until the next one arrives, to give it the errors that are its own.
  let held: Document.Parsed | undefined
  for (const doc of composer.compose(parser.parse(text))) {
    if (held) {
      moveStrayErrors(held, doc)
      inspectDocument(held, duplicateKeys)
      yield held
    }
    held = doc
  }
  if (held) {
    inspectDocument(held, duplicateKeys)
    yield held
  }
}

/**
 * `yaml` gives a document an error that lies in the next one when the next one starts with a stray
 * token (`a: 1`, `---`, `]`: the `]` error lands on `a: 1`). go-yaml reads `a: 1` and fails on the
 * second document, and so does the fast reader: the error moves to the document it lies in. An
 * error at the next document's very start (its `---`) stays: that is where `yaml` notices what the
 * document before it left open (an unclosed `[`).
 */
function moveStrayErrors(document: Document.Parsed, next: Document.Parsed): void {
  const stray = document.errors.filter((error) => error.pos[0] > next.range[0])
  if (stray.length === 0) return
  const own = document.errors.filter((error) => error.pos[0] <= next.range[0])
  document.errors.length = 0
  document.errors.push(...own)
  next.errors.unshift(...stray)
}

/** Line and column in a file of an offset in the text a LineCounter counted, which starts at the file's line `firstLine`. */
export function counterPosition(lineCounter: LineCounter, firstLine: number): (offset: number) => Position {
  return (offset) => {
    const { line, col } = lineCounter.linePos(offset)
    return { line: line + firstLine - 1, column: col }
  }
}

export function newLineCounter(): LineCounter {
  return new (yamlLibrary().LineCounter)()
}

/** What inspectDocument found out about a document `yaml` composed, for boundedValue. */
interface DocumentStats {
  /** Nodes (scalars, collections, pairs, aliases). */
  nodes: number
  aliases: number
  anchors: number
  /** How many nodes the aliases add when the document is expanded into a tree (merge keys copy them). */
  aliasNodes: number
  /** The work `yaml` does to find what its aliases point at (see inspectDocument). */
  resolving: number
}

const documentStats = new WeakMap<Document.Parsed, DocumentStats>()

/**
 * A document's expanded aliases may add this many nodes: toJS() copies a mapping for each merge
 * key (`<<: *a`), and the rules walk a RayJob as a tree. A container template used a hundred times
 * adds a few thousand.
 */
const MAX_ALIAS_NODES = 200_000
/**
 * The work `yaml` may do to resolve aliases (about 20 ns a unit, so a few tenths of a second):
 * each alias is looked up among every anchor and alias before it, and each alias inside an
 * anchored node costs a walk of the whole document when that anchor is used. A manifest with a
 * few hundred aliases needs a few hundred thousand.
 */
const MAX_ALIAS_RESOLVING = 20_000_000

/**
 * One pass over a document `yaml` composed (an explicit stack: a deep document must not run out of
 * call stack here). It adds to the document's errors what `yaml` would find with uniqueKeys: true
 * ("Map keys must be unique", at the repeated key: `yaml`'s own check compares each key with every
 * key before it, minutes for a mapping of 300,000 keys), an alias to no anchor before it (which
 * `yaml` only finds in toJS()) and one inside the node its anchor marks (a value that contains
 * itself: go-yaml refuses it, toJS() recurses until the stack runs out, or gives a cyclic value
 * the rules would walk forever), each among the others in the order of their positions; and it
 * weighs the aliases (DocumentStats). Keys are equal as `yaml` compares them: two scalars whose
 * values are === (`1` and `0x1`, not `1` and `"1"`; no NaN; each merge key `<<` is its own); a
 * collection or alias key only equals itself.
 */
function inspectDocument(doc: Document.Parsed, duplicateKeys: boolean): void {
  const { YAMLParseError, isAlias, isCollection, isMap, isPair, isScalar } = yamlLibrary()
  // Each with where `yaml` would have reported it: a repeated key of a block mapping before its
  // value is read, of a flow mapping after it (so after the errors inside the value).
  const found: { error: YAMLError; at: number }[] = []
  const add = (code: 'BAD_ALIAS' | 'DUPLICATE_KEY', offset: number, message: string, at = offset): void => {
    found.push({ error: new YAMLParseError([offset, offset + 1], code, message), at })
  }
  const stats: DocumentStats = { nodes: 0, aliases: 0, anchors: 0, aliasNodes: 0, resolving: 0 }
  // Nodes in document order; weight: 1, or for an alias the size of what it expands to; size[i]:
  // the sum of the weights of node i's subtree, once it is walked.
  const weights: number[] = []
  const prefix: number[] = [0]
  const size: number[] = []
  const anchorsByName = new Map<string, number>()
  let anchoredOpen = 0
  let nestedAliases = 0
  const frames: { node: unknown; children: unknown[]; next: number; at: number; anchored: boolean }[] = []
  const enter = (node: unknown): void => {
    if (node === null || node === undefined || typeof node !== 'object') return
    const at = weights.length
    stats.nodes++
    let weight = 1
    if (isAlias(node)) {
      stats.aliases++
      nestedAliases += anchoredOpen
      const targetAt = anchorsByName.get(node.source)
      const offset = node.range?.[0] ?? 0
      if (targetAt === undefined) {
        add('BAD_ALIAS', offset, `Unresolved alias (the anchor must be set before the alias): ${node.source}`)
      } else if (size[targetAt] !== undefined) weight = Math.min(size[targetAt], 1e15)
      else {
        // Inside the node its anchor marks: a value that contains itself, which go-yaml refuses (and toJS() recurses on forever).
        add('BAD_ALIAS', offset, `Alias *${node.source} is inside the node its anchor marks: the anchor's value contains itself`)
      }
    }
    const anchor = (node as { anchor?: string }).anchor
    if (anchor) {
      stats.anchors++
      anchorsByName.set(anchor, at)
    }
    weights.push(weight)
    prefix.push(prefix[at] + weight)
    let children: unknown[] = []
    if (isPair(node)) children = [node.key, node.value]
    else if (isCollection(node)) {
      children = node.items
      if (duplicateKeys && isMap(node)) {
        const keys = new Set<unknown>()
        for (const pair of node.items) {
          const key = pair.key
          if (!isScalar(key)) continue
          const value = key.value
          if (typeof value === 'number' && Number.isNaN(value)) continue
          if (keys.has(value)) {
            const offset = key.range?.[0] ?? 0
            add('DUPLICATE_KEY', offset, 'Map keys must be unique', node.flow ? ((pair.value as YamlNode | null)?.range?.[1] ?? offset) : offset)
          } else keys.add(value)
        }
      }
    }
    if (anchor) anchoredOpen++
    frames.push({ node, children, next: 0, at, anchored: Boolean(anchor) })
  }
  enter(doc.contents)
  while (frames.length > 0) {
    const frame = frames[frames.length - 1]
    if (frame.next < frame.children.length) {
      enter(frame.children[frame.next++])
      continue
    }
    frames.pop()
    size[frame.at] = prefix[weights.length] - prefix[frame.at]
    if (frame.anchored) anchoredOpen--
  }
  stats.aliasNodes = prefix[weights.length] - stats.nodes
  stats.resolving = stats.aliases * (stats.anchors + stats.aliases) + 5 * nestedAliases * stats.nodes
  documentStats.set(doc, stats)

  if (found.length === 0) return
  found.sort((a, b) => a.at - b.at)
  const merged: YAMLError[] = []
  let next = 0
  for (const error of doc.errors) {
    while (next < found.length && found[next].at < error.pos[0]) merged.push(found[next++].error)
    merged.push(error)
  }
  while (next < found.length) merged.push(found[next++].error)
  doc.errors.length = 0
  for (const error of merged) doc.errors.push(error)
}

/**
 * A document's value (Document.toJS()), unless its aliases would take more memory or time than any
 * manifest needs, or `yaml` refuses to expand them (an alias bomb by its own count): then why not.
 * The document was composed by composeDocuments and has no errors.
 */
export function boundedValue(doc: Document.Parsed): { value: unknown } | { error: string } {
  const stats = documentStats.get(doc)!
  if (stats.aliasNodes > MAX_ALIAS_NODES) return { error: 'Excessive alias count indicates a resource exhaustion attack' }
  if (stats.resolving > MAX_ALIAS_RESOLVING) return { error: `${stats.aliases} aliases of ${stats.anchors} anchors among ${stats.nodes} nodes: more than the lint resolves` }
  try {
    return { value: doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) }
  } catch (error) {
    return { error: (error as Error).message }
  }
}

/**
 * The comments the parser kept on the document and its nodes (a comment above the first document is
 * the document's), one a line, less white space at their end (which `yaml` keeps on some lines and
 * not others), none empty.
 */
export function commentsOf(doc: Document.Parsed): string[] {
  const { isNode, visit } = yamlLibrary()
  const texts: (string | null | undefined)[] = [doc.commentBefore, doc.comment]
  visit(doc, (_key, node) => {
    if (isNode(node)) texts.push(node.commentBefore, node.comment)
  })
  // `yaml` joins a comment's lines with `\n`, and keeps a blank line between two as an empty one.
  return texts.flatMap((t) => (t ? t.split('\n').map((line) => line.trimEnd()).filter((line) => line !== '') : []))
}

/** One syntax error of a document: its message, and the offset to point at. */
export interface PlacedError {
  /** `yaml`'s error code. */
  code: string
  message: string
  offset: number
}

/** Errors that are a mistake each, independent of the others: every one is reported. */
const INDEPENDENT: ReadonlySet<string> = new Set(['DUPLICATE_KEY', 'BAD_ALIAS'])

/** go-yaml's words for `key: value: more` (scannerc.go, yaml_parser_fetch_value), which kubectl prints. */
const MAPPING_VALUES = 'mapping values are not allowed in this context'

/**
 * The syntax errors of a document `yaml` composed (`text` is what it composed), each once, where
 * the API server's reader (sigs.k8s.io/yaml, go-yaml v2) places it. go-yaml stops at a document's
 * first syntax error, while `yaml` goes on and reports what follows from it too: of the errors
 * that are not a repeated key or a bad alias, only the first is kept. A plain scalar followed by a
 * more indented `key:` line (`entrypoint: x`, then `   shutdownAfterJobFinishes: true`) is one
 * mistake that `yaml` reports twice at the scalar ("Nested mappings are not allowed in compact
 * mappings", "Implicit keys need to be on a single line"): go-yaml reads the two lines as one
 * plain scalar, meets the `:` and says "line 7: mapping values are not allowed in this context",
 * the line (and, here, the column) of that `:`. So does `a: b: c`, at its second `:`.
 */
export function syntaxErrors(doc: Document.Parsed, text: string): PlacedError[] {
  const out: PlacedError[] = []
  let first: YAMLError | undefined
  for (const error of doc.errors) {
    if (INDEPENDENT.has(error.code)) {
      out.push({ code: error.code, message: error.message.split('\n')[0], offset: errorOffset(doc, error) })
      continue
    }
    if (first) continue
    first = error
    // The `:` that makes a plain scalar (over one line or more) a key where no key may start.
    const key = doc.errors.find((e) => e.pos[0] === error.pos[0] && (e.code === 'MULTILINE_IMPLICIT_KEY' || e.code === 'BLOCK_AS_IMPLICIT_KEY') && colonAfter(text, e.pos[1]) !== -1)
    if (key && (error.code === 'MULTILINE_IMPLICIT_KEY' || error.code === 'BLOCK_AS_IMPLICIT_KEY')) {
      out.push({ code: error.code, message: MAPPING_VALUES, offset: colonAfter(text, key.pos[1]) })
    } else {
      out.push({ code: error.code, message: error.message.split('\n')[0], offset: errorOffset(doc, error) })
    }
  }
  return out
}

/** The offset of a `:` at `offset` or after spaces there, followed by a space or the line's end; -1 if there is none. */
function colonAfter(text: string, offset: number): number {
  let p = offset
  while (text.charCodeAt(p) === 0x20) p++
  if (text.charCodeAt(p) !== 0x3a) return -1
  const next = text.charCodeAt(p + 1)
  return Number.isNaN(next) || next === 0x20 || next === 0x0a || next === 0x0d ? p : -1
}

/**
 * Where to point for a syntax error. The parser notices an unclosed quote only where the text
 * ends; the quote that was never closed is what the user has to fix.
 */
function errorOffset(doc: Document.Parsed, error: YAMLError): number {
  let offset = error.pos[0]
  if (error.code !== 'MISSING_CHAR' || !/quote/.test(error.message)) return offset
  const { visit } = yamlLibrary()
  visit(doc, {
    Scalar(_, node) {
      const [start, end] = node.range ?? [0, 0]
      if ((node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE') && start < error.pos[0] && end >= error.pos[0]) {
        offset = start
        return visit.BREAK
      }
    }
  })
  return offset
}

/** Character offset of a key or value in a parsed document; a missing path falls back to its nearest ancestor. */
export function locateOffset(doc: Document.Parsed, path: Path, part: 'key' | 'value'): number {
  const { isMap, isPair, isScalar, isSeq } = yamlLibrary()
  let node: YamlNode | null = doc.contents
  // Where to point if the path stops early: the key of the deepest part that exists.
  let found = node?.range?.[0] ?? doc.range[0]
  for (let i = 0; i < path.length; i++) {
    const segment = path[i]
    const last = i === path.length - 1
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(segment))
      if (!pair) return found
      const key = pair.key as YamlNode
      const value = pair.value as YamlNode | null
      found = key.range?.[0] ?? found
      if (last) return part === 'value' ? (value?.range?.[0] ?? found) : found
      node = value
    } else if (isSeq(node) && typeof segment === 'number') {
      const item = node.items[segment] as YamlNode | undefined
      if (!item) return found
      found = item.range?.[0] ?? found
      node = item
    } else {
      return found
    }
  }
  return found
}

/** What YAML has that JSON has not: a null or collection as a mapping key, an infinite or NaN number (sigs.k8s.io/yaml's YAML-to-JSON step refuses them). */
export function notJson(node: unknown): string | undefined {
  const { isCollection, isMap, isScalar, isSeq } = yamlLibrary()
  const walk = (node: unknown): string | undefined => {
    if (isScalar(node)) {
      const n = node.value
      if (typeof n === 'number' && !Number.isFinite(n)) return `json: unsupported value: ${Number.isNaN(n) ? 'NaN' : n > 0 ? '+Inf' : '-Inf'}`
      return undefined
    }
    if (isMap(node)) {
      for (const pair of node.items) {
        const key: unknown = pair.key
        if (key === null || (isScalar(key) && key.value === null) || isCollection(key)) return 'unsupported map key (null or a collection)'
        const problem = walk(key) ?? walk(pair.value)
        if (problem) return problem
      }
      return undefined
    }
    if (isSeq(node)) {
      for (const item of node.items) {
        const problem = walk(item)
        if (problem) return problem
      }
    }
    return undefined
  }
  return walk(node)
}

/** Whether every number in a value is finite (JSON has no Infinity or NaN). */
export function onlyFiniteNumbers(value: unknown): boolean {
  if (typeof value === 'number') return Number.isFinite(value)
  if (Array.isArray(value)) return value.every(onlyFiniteNumbers)
  if (isObj(value)) return Object.values(value).every(onlyFiniteNumbers)
  return true
}
