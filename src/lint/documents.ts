// YAML text → documents that remember where every key and value came from, so a finding can point
// at the exact line and column. Pure: the caller reads the bytes. Two readers give the same
// documents: the fast reader (fast-yaml.ts) for the YAML manifests are written in, and `yaml`, the
// reference, for everything else (and for every document when asked to).
import { isDeepStrictEqual } from 'node:util'
import type { Document, LineCounter, Node as YamlNode, YAMLError } from 'yaml'
import { UNSUPPORTED, hasUnsupportedCharacters, loadDocument, splitDocuments } from './fast-yaml.js'
import type { Chunk, FastDocument } from './fast-yaml.js'
import { isObj } from '../manifest/model.js'
import type { Obj, Path } from '../manifest/model.js'
import { referenceYaml } from './reference-yaml.js'
import { MAX_BLOCK_NESTING, MAX_FLOW_NESTING, MAX_YAML_ENTRIES, scanShape } from './shape.js'
import type { Bulky, Shape } from './shape.js'
import { KUBERNETES_YAML } from './yaml-options.js'

/** A path into a document: map keys and sequence indexes, e.g. ['spec', 'rayClusterSpec', 'workerGroupSpecs', 0]. */

/** 1-based line and column. */
export interface Position {
  line: number
  column: number
}

export interface SourceDocument {
  /** File path as the user should see it (relative to the workspace). */
  file: string
  /** 0-based position of the document in a multi-document file. */
  index: number
  /** The document as plain data (YAML 1.1, as the Kubernetes tooling reads it). */
  value: unknown
  /** Where the document starts. */
  start: Position
  /** The comments of the document (the text after each `#`, a line each) that contain `word`; never text of a block scalar. */
  commentsWith(word: string): string[]
  /** Where a key (or its value) is; a missing path resolves to its nearest existing ancestor. */
  locate(path: Path, part?: 'key' | 'value'): Position
}

/** Something that kept a file or a document from being read. */
export interface ReadProblem {
  kind: 'yaml-syntax' | 'yaml-aliases' | 'yaml-too-deep' | 'file-too-large' | 'file-binary' | 'file-encoding' | 'file-empty' | 'file-template'
  message: string
  position: Position
}

export interface ReadResult {
  documents: SourceDocument[]
  problems: ReadProblem[]
}

/** Files above this size are not parsed: no RayJob manifest is anywhere near it, and parsing one could stall a run. */
export const MAX_FILE_BYTES = 4 * 1024 * 1024
/**
 * Alias expansions allowed per document before it is treated as an alias bomb (`yaml` weighs each
 * use of an anchor by the aliases inside it, so an image anchor used a few hundred times is fine,
 * while nested anchors that multiply stop after a handful of levels).
 */
const MAX_ALIAS_COUNT = 10_000

const TOP: Position = { line: 1, column: 1 }

/**
 * Reads one file's bytes into documents, or says clearly why it could not. With `each`, every
 * document is handed to it as soon as it is parsed instead of being collected (see parseText).
 */
export function readManifest(file: string, bytes: Uint8Array, each?: (doc: SourceDocument) => void, reader: YamlReader = 'fast'): ReadResult {
  if (bytes.length === 0) {
    return problem('file-empty', 'the file is empty; nothing to check')
  }
  if (bytes.length > MAX_FILE_BYTES) {
    const mib = (bytes.length / 1024 / 1024).toFixed(1)
    return problem('file-too-large', `the file is ${mib} MiB, above the ${MAX_FILE_BYTES / 1024 / 1024} MiB limit for a manifest; it was not parsed`)
  }
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    return problem('file-encoding', 'the file is UTF-16 (it starts with a UTF-16 byte order mark); Kubernetes manifests must be UTF-8, so it was not parsed')
  }
  if (bytes.subarray(0, 8192).includes(0)) {
    return problem('file-binary', 'the file contains NUL bytes: it looks binary, not YAML; it was not parsed')
  }
  let text: string
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch {
    return problem('file-encoding', 'the file is not valid UTF-8 (Kubernetes manifests must be UTF-8); it was not parsed')
  }
  if (text.trim() === '') {
    return problem('file-empty', 'the file holds only white space; nothing to check')
  }
  text = normalizeLineBreaks(text)
  if (text.includes('{{') && TEMPLATE_PLACEHOLDER.test(text)) {
    return problem('file-template', 'the file is a template ({{ ... }} placeholders as values): lint the rendered manifests instead; it was not checked')
  }
  return parseText(file, text, each, reader)
}

/**
 * A Go/Helm/Jinja placeholder standing where a YAML node should be: at the start of a line's
 * content (after any `- `), or as the value of a key on its line (`name: {{ .Values.name }}`). A
 * quoted string that holds `{{` (`name: "{{ .Values.name }}"`, `echo "{{"`) is ordinary YAML and
 * read as such.
 */
const TEMPLATE_PLACEHOLDER = /^[ \t]*(?:-[ \t]+)*(?:(?:[^\s"'#{:-][^:\n]*|"[^"\n]*"[ \t]*|'[^'\n]*'[ \t]*):[ \t]+)?\{\{/m

function problem(kind: ReadProblem['kind'], message: string): ReadResult {
  return { documents: [], problems: [{ kind, message, position: TOP }] }
}

/**
 * How a file's YAML is read. `fast`: each document by the fast reader (fast-yaml.ts), with `yaml`
 * only for the documents that reader leaves to it and, when a rule asks, for the comments (to
 * silence a finding) and the place of an empty value. `reference`: everything with `yaml`. Both
 * give the same result (fast-yaml.test.ts); the reference stays to prove it, and as the fallback.
 */
export type YamlReader = 'fast' | 'reference'

/**
 * The fast reader found, too late to step back (documents were handed over), that `yaml` must read
 * the file: a later document has a syntax error, or `yaml` reads a document differently. Lint the
 * file again with the reference reader.
 */
export class ReferenceReaderNeeded extends Error {}

/**
 * Parses YAML text (all documents) into SourceDocuments. With `each`, every document is handed to it
 * as soon as it is read (while the next one is not yet) instead of being collected in `documents`: a
 * large multi-document file then never holds all its documents at once (less memory, less GC). With
 * the fast reader, `each` must be ready for ReferenceReaderNeeded.
 */
export function parseText(file: string, text: string, each?: (doc: SourceDocument) => void, reader: YamlReader = 'fast'): ReadResult {
  text = normalizeLineBreaks(text)
  const shape = scanShape(text)
  if (shape.tooDeep) {
    const { what, depth, at } = shape.tooDeep
    const message =
      what === 'flow'
        ? `brackets nest ${depth} deep here (more than ${MAX_FLOW_NESTING}, which no manifest needs); the file was not parsed`
        : `block collections nest ${depth} deep here (indentation and "- " items; more than ${MAX_BLOCK_NESTING}, which no manifest needs); the file was not parsed`
    return { documents: [], problems: [{ kind: 'yaml-too-deep', message, position: at }] }
  }
  try {
    return (reader === 'fast' ? readFast(file, text, shape, each) : undefined) ?? readWithYaml(file, text, shape, each)
  } finally {
    fileEnv = undefined
  }
}

/** Line breaks of YAML 1.1 that `yaml` (YAML 1.2) does not take for line breaks: a carriage return alone, NEL, LS and PS. */
const OTHER_LINE_BREAKS = /\r(?!\n)|[\u0085\u2028\u2029]/
const OTHER_LINE_BREAKS_ALL = new RegExp(OTHER_LINE_BREAKS.source, 'g')

/**
 * The text with every line break as `\n` (or `\r\n`), so that it has the lines the API server
 * sees: go-yaml v2 (sigs.k8s.io/yaml) breaks lines at CR, LF, CRLF, NEL (U+0085), LS (U+2028) and
 * PS (U+2029), as YAML 1.1 says, while `yaml` and the fast reader know only LF and CRLF. Each
 * break stays one character, so every offset (and column) is unchanged, and lines are counted
 * as the API server counts them.
 */
export function normalizeLineBreaks(text: string): string {
  return OTHER_LINE_BREAKS.test(text) ? text.replace(OTHER_LINE_BREAKS_ALL, '\n') : text
}

/** The problem for a file with a document too large for `yaml` (see MAX_YAML_ENTRIES). */
function bulkyProblem(bulky: Bulky): ReadResult {
  return {
    documents: [],
    problems: [
      {
        kind: 'file-too-large',
        message: `the document here is too large for the full YAML reader, which reads what the fast reader does not (anchors, tags, multi-line strings, ...): ${bulky.entries} entries (lines, items and brackets), more than ${MAX_YAML_ENTRIES}; the file was not parsed`,
        position: bulky.at
      }
    ]
  }
}

/**
 * The fast reader: the file split into its documents, each read by fast-yaml.ts or, if it uses YAML
 * that reader leaves to `yaml`, by `yaml` alone. Undefined when the file must be read whole by `yaml`:
 * it cannot be split exactly, or a document has a syntax error (whose message and position must be
 * the ones `yaml` gives reading the whole file); ReferenceReaderNeeded if that shows after documents
 * were handed to `each`.
 */
function readFast(file: string, text: string, shape: Shape, each?: (doc: SourceDocument) => void): ReadResult | undefined {
  const chunks = splitDocuments(text)
  if (!chunks) return undefined
  const crlf = text.includes('\r')
  if (crlf && /\r(?!\n)/.test(text)) return undefined // a carriage return alone (normalizeLineBreaks leaves none)
  // One look for what the fast reader leaves to `yaml` in the whole text, instead of one per document.
  const unsupportedCharacters = hasUnsupportedCharacters(crlf ? text.replaceAll('\r\n', '\n') : text)
  const result: ReadResult = { documents: [], problems: [] }
  let handedOver = false
  let yamlChunks = 0
  const take = (doc: SourceDocument): void => {
    if (!each) return void result.documents.push(doc)
    handedOver = true
    each(doc)
  }
  for (const [index, chunk] of chunks.entries()) {
    const source = fastSource(text, chunk, crlf)
    const fast = loadDocument(source.text, source.from, source.to, { charactersChecked: !unsupportedCharacters })
    if (fast !== UNSUPPORTED) {
      if (fast.value !== null) take(fastDocument(file, text, chunk, index, fast, source, bulkyIn(shape, chunk)))
      continue
    }
    // A document too large for `yaml`: the reference reader refuses the file, as it would.
    const yamlDoc = bulkyIn(shape, chunk) ? undefined : parseChunk(text, chunk)
    if (!yamlDoc) {
      if (handedOver) throw new ReferenceReaderNeeded(`${file}: document ${index + 1} has a syntax error or is too large for yaml`)
      return undefined
    }
    // Most documents so far left to `yaml`, and many: one `yaml` pass over the file is faster
    // (`yaml` set up once, not per document) and makes half the garbage.
    if (++yamlChunks >= MANY_YAML_DOCUMENTS && yamlChunks * 2 > index + 1) {
      if (handedOver) throw new ReferenceReaderNeeded(`${file}: most documents are for yaml to read`)
      return undefined
    }
    readYamlDocument(file, yamlDoc.doc, index, yamlDoc.position, result, take)
  }
  return result
}

/** After this many documents left to `yaml`, if they are most of the file so far, `yaml` reads the whole file. */
const MANY_YAML_DOCUMENTS = 1000

/** A chunk as the fast reader reads it: text[from, to), CRLF line ends made LF (as `yaml` reads them in all that reader reads). */
interface FastSource {
  text: string
  from: number
  to: number
}

function fastSource(text: string, chunk: Chunk, crlf: boolean): FastSource {
  if (!crlf) return { text, from: chunk.from, to: chunk.to }
  const lf = text.slice(chunk.from, chunk.to).replaceAll('\r\n', '\n')
  return { text: lf, from: 0, to: lf.length }
}

/**
 * A document the fast reader read. A finding is located by reading the document again with
 * positions; `yaml` reads the chunk only for what that does not place (an empty value) and for
 * comments (to silence a finding), and must then read the same value.
 */
function fastDocument(file: string, text: string, chunk: Chunk, index: number, fast: FastDocument, source: FastSource, bulky: boolean): SourceDocument {
  let parsed: ParsedChunk | undefined
  const yamlDoc = (): ParsedChunk => {
    if (parsed) return parsed
    parsed = bulky ? undefined : parseChunk(text, chunk)
    if (!parsed || !isDeepStrictEqual(parsed.doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }), fast.value)) {
      throw new ReferenceReaderNeeded(`${file}: yaml reads document ${index + 1} differently`)
    }
    return parsed
  }
  let located: FastDocument | undefined
  const withPositions = (): FastDocument => {
    located ??= loadDocument(source.text, source.from, source.to, { charactersChecked: true, positions: true }) as FastDocument
    return located
  }
  let lines: LineIndex | undefined
  const position = (offset: number): Position => {
    lines ??= lineIndex(source.text, source.from, source.to, chunk.line)
    return lines(offset)
  }
  return {
    file,
    index,
    value: fast.value,
    start: positionAfter(source.text, source.from, fast.start, chunk.line),
    // A comment holding the word is in the document's text: without the word there, no need to ask `yaml`.
    commentsWith: (word) => (source.text.slice(source.from, source.to).includes(word) ? commentsOf(yamlDoc().doc).filter((c) => c.includes(word)) : []),
    locate: (path, part = 'key') => {
      const offset = locateFastOffset(withPositions(), path, part)
      if (offset !== undefined) return position(offset)
      const { doc, position: yamlPosition } = yamlDoc()
      return yamlPosition(locateOffset(doc, path, part))
    }
  }
}

/**
 * locateOffset (below) over the fast reader's positions: the same answers, or undefined where the
 * path ends at an empty value or goes through an empty item (`yaml` must place those).
 */
function locateFastOffset(doc: FastDocument, path: Path, part: 'key' | 'value'): number | undefined {
  let node = doc.value
  let found = doc.start
  for (let i = 0; i < path.length; i++) {
    const segment = path[i]
    const last = i === path.length - 1
    if (Array.isArray(node) ? typeof segment !== 'number' : !isObj(node)) return found
    const at = doc.positions!.get(node as object)?.get(Array.isArray(node) ? segment : String(segment))
    if (!at) return found
    const [keyAt, valueAt] = at
    if (keyAt === -1) return undefined
    found = keyAt
    if (last && part === 'value' && !Array.isArray(node)) return valueAt === -1 ? undefined : valueAt
    node = Array.isArray(node) ? node[segment as number] : (node as Obj)[String(segment)]
  }
  return found
}

/** Line and column of `offset` in text whose character `from` is on line `line` (for an offset a few lines on: no index). */
function positionAfter(text: string, from: number, offset: number, line: number): Position {
  let lineStart = from
  for (let nl = text.indexOf('\n', from); nl !== -1 && nl < offset; nl = text.indexOf('\n', nl + 1)) {
    line++
    lineStart = nl + 1
  }
  return { line, column: offset - lineStart + 1 }
}

/** Line and column of an offset. */
type LineIndex = (offset: number) => Position

/** Positions in text[from, to), whose first character is on line `line`. */
function lineIndex(text: string, from: number, to: number, line: number): LineIndex {
  const starts = [from]
  for (let nl = text.indexOf('\n', from); nl !== -1 && nl < to; nl = text.indexOf('\n', nl + 1)) starts.push(nl + 1)
  return (offset) => {
    let low = 0
    let high = starts.length - 1
    while (low < high) {
      const middle = (low + high + 1) >> 1
      if (starts[middle] <= offset) low = middle
      else high = middle - 1
    }
    return { line: line + low, column: offset - starts[low] + 1 }
  }
}

interface ParsedChunk {
  doc: Document.Parsed
  /** Position in the file of an offset in the chunk. */
  position: (offset: number) => Position
}

/** One chunk of the file read by `yaml`, or undefined if it has errors or is not exactly one document. */
function parseChunk(text: string, chunk: Chunk): ParsedChunk | undefined {
  const lineCounter = new (referenceYaml().LineCounter)()
  const docs = yamlDocuments(text.slice(chunk.from, chunk.to), lineCounter)
  if (docs.length !== 1 || docs[0].errors.length > 0) return undefined
  return {
    doc: docs[0],
    position: (offset) => {
      const { line, col } = lineCounter.linePos(offset)
      return { line: line + chunk.line - 1, column: col }
    }
  }
}

/** Every document of the text, as `yaml` reads them with the lint's options. */
function yamlDocuments(text: string, lineCounter: LineCounter): Document.Parsed[] {
  const docs: Document.Parsed[] = []
  withPlainEnv(() => {
    for (const doc of composeDocuments(text, lineCounter)) docs.push(doc)
  })
  return docs
}

/**
 * The documents of the text, one at a time, as `yaml` composes them with the lint's options, each
 * with its duplicate keys among its errors (see inspectDocument). Call within withPlainEnv.
 */
function* composeDocuments(text: string, lineCounter: LineCounter): Generator<Document.Parsed> {
  const { Composer, Parser } = referenceYaml()
  const parser = new Parser(lineCounter.addNewLine)
  const composer = new Composer(YAML_OPTIONS(lineCounter))
  for (const doc of composer.compose(parser.parse(text))) {
    inspectDocument(doc)
    yield doc
  }
}

// YAML as Kubernetes reads it (see yaml-options.ts): `on`/`yes` are booleans as kubectl sends them.
// Duplicate keys are an error (sigs.k8s.io/yaml refuses them), but found here (inspectDocument):
// `yaml`'s own check compares each key with every key before it, minutes for a mapping of 300,000 keys.
const YAML_OPTIONS = (lineCounter: LineCounter) => ({ ...KUBERNETES_YAML, uniqueKeys: false, lineCounter, prettyErrors: false, logLevel: 'error' }) as const

/** What inspectDocument found out about a document `yaml` composed, for readYamlDocument. */
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
function inspectDocument(doc: Document.Parsed, duplicateKeys = true): void {
  const { YAMLParseError, isAlias, isCollection, isMap, isPair, isScalar } = referenceYaml()
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

/** Whether a document of the chunk is too large for `yaml`. */
function bulkyIn(shape: Shape, chunk: Chunk): boolean {
  return shape.bulky.some((b) => b.from >= chunk.from && b.from < chunk.to)
}

/**
 * The reference reader: the whole file by `yaml`, each document handed over as soon as it is
 * parsed; nothing if a document is too large for it.
 */
function readWithYaml(file: string, text: string, shape: Shape, each?: (doc: SourceDocument) => void): ReadResult {
  if (shape.bulky.length > 0) return bulkyProblem(shape.bulky[0])
  const { LineCounter } = referenceYaml()
  const lineCounter = new LineCounter()
  const position = (offset: number): Position => {
    const { line, col } = lineCounter.linePos(offset)
    return { line, column: col }
  }
  const result: ReadResult = { documents: [], problems: [] }
  const take = each ?? ((doc: SourceDocument) => void result.documents.push(doc))
  // What parseAllDocuments(text, options) does, but one document at a time.
  let index = 0
  withPlainEnv(() => {
    for (const doc of composeDocuments(text, lineCounter)) readYamlDocument(file, doc, index++, position, result, take)
  })
  return result
}

/** One document as `yaml` read it: a problem, nothing (an empty document), or a SourceDocument for `take`. */
function readYamlDocument(file: string, doc: Document.Parsed, index: number, position: (offset: number) => Position, result: ReadResult, take: (doc: SourceDocument) => void): void {
  if (doc.errors.length > 0) {
    for (const error of doc.errors) {
      result.problems.push({ kind: 'yaml-syntax', message: error.message.split('\n')[0], position: position(errorOffset(doc, error)) })
    }
    return
  }
  if (doc.contents === null) return // an empty document between `---` separators
  const read = boundedValue(doc)
  if ('error' in read) {
    result.problems.push({ kind: 'yaml-aliases', message: `document ${index + 1} expands too many aliases (${read.error}); it was not checked`, position: position(doc.range[0]) })
    return
  }
  const value = read.value
  if (value === null || value === undefined) return // only a comment, or `---` with nothing after it
  take({
    file,
    index,
    value,
    start: position(doc.contents.range?.[0] ?? doc.range[0]),
    commentsWith: (word) => commentsOf(doc).filter((c) => c.includes(word)),
    locate: (path, part = 'key') => position(locateOffset(doc, path, part))
  })
}

/**
 * A document's value (Document.toJS()), unless its aliases would take the lint more memory or time
 * than any manifest needs, or cannot be expanded (see inspectDocument; documents composed here are
 * inspected already, others must have no errors), or `yaml` refuses to expand them (an alias bomb
 * by its own count): then why not.
 */
export function boundedValue(doc: Document.Parsed): { value: unknown } | { error: string } {
  let stats = documentStats.get(doc)
  if (!stats) {
    inspectDocument(doc, false)
    stats = documentStats.get(doc)!
    // An alias to no anchor, or inside its own anchor's node.
    if (doc.errors.length > 0) return { error: doc.errors[0].message }
  }
  if (stats.aliasNodes > MAX_ALIAS_NODES) return { error: 'Excessive alias count indicates a resource exhaustion attack' }
  if (stats.resolving > MAX_ALIAS_RESOLVING) return { error: `${stats.aliases} aliases of ${stats.anchors} anchors among ${stats.nodes} nodes: more than the lint resolves` }
  try {
    return { value: doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) }
  } catch (error) {
    return { error: (error as Error).message }
  }
}

/**
 * Runs `body` with a plain copy of process.env in its place. yaml's Parser reads
 * process.env.LOG_TOKENS once per token (a debug hook; its Composer LOG_STREAM once per document),
 * and Node's process.env is a native lookup of ~0.3 µs: a fifth of the time to parse a large file.
 * The body is synchronous, so nothing else runs meanwhile; the copy keeps every variable.
 */
function withPlainEnv(body: () => void): void {
  const env = process.env
  // One copy per file read (parseText), not per document: a file of 100,000 small documents that
  // `yaml` reads one by one would otherwise spend most of its time copying the environment.
  process.env = fileEnv ??= { ...env }
  try {
    body()
  } finally {
    process.env = env
  }
}

/** The copy of process.env for the file parseText is reading (made when `yaml` first needs it). */
let fileEnv: NodeJS.ProcessEnv | undefined

/** The comments the parser kept on the document and its nodes (a comment above the first document is the document's). */
function commentsOf(doc: Document.Parsed): string[] {
  const { isNode, visit } = referenceYaml()
  const texts: (string | null | undefined)[] = [doc.commentBefore, doc.comment]
  visit(doc, (_key, node) => {
    if (isNode(node)) texts.push(node.commentBefore, node.comment)
  })
  return texts.flatMap((t) => (t ? t.split('\n') : []))
}

/**
 * Where to point for a syntax error. The parser notices an unclosed quote only where the text
 * ends; the quote that was never closed is what the user has to fix.
 */
function errorOffset(doc: Document.Parsed, error: YAMLError): number {
  let offset = error.pos[0]
  if (error.code !== 'MISSING_CHAR' || !/quote/.test(error.message)) return offset
  const { visit } = referenceYaml()
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
function locateOffset(doc: Document.Parsed, path: Path, part: 'key' | 'value'): number {
  const { isMap, isPair, isScalar, isSeq } = referenceYaml()
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
