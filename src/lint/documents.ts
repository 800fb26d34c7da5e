// YAML text → documents that remember where every key and value came from, so a finding can point
// at the exact line and column. Pure: the caller reads the bytes. Two readers give the same
// documents: the fast reader (fast-yaml.ts) for the YAML manifests are written in, and `yaml`, the
// reference, for everything else (and for every document when asked to).
import { isDeepStrictEqual } from 'node:util'
import type { Document, LineCounter, Node as YamlNode, YAMLError } from 'yaml'
import { UNSUPPORTED, hasUnsupportedCharacters, loadDocument, splitDocuments } from './fast-yaml.js'
import type { Chunk, FastDocument } from './fast-yaml.js'
import { isObj } from './model.js'
import type { Obj } from './model.js'
import { referenceYaml } from './reference-yaml.js'
import { KUBERNETES_YAML } from './yaml-options.js'

/** A path into a document: map keys and sequence indexes, e.g. ['spec', 'rayClusterSpec', 'workerGroupSpecs', 0]. */
export type Path = readonly (string | number)[]

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
  if (text.includes('{{') && TEMPLATE_PLACEHOLDER.test(text)) {
    return problem('file-template', 'the file is a template ({{ ... }} placeholders as values): lint the rendered manifests instead; it was not checked')
  }
  return parseText(file, text, each, reader)
}

/**
 * Flow collections nested deeper than this are refused before parsing: `yaml` reads them
 * recursively and runs out of stack near 800 levels, after seconds of work on a large file.
 */
const MAX_FLOW_NESTING = 100

/**
 * How deep `[` and `{` nest (quotes not considered: an over-estimate only for text no manifest has),
 * and where that depth first passes MAX_FLOW_NESTING. Every file goes through it: one plain scan,
 * lines counted only for a file that is refused.
 */
function flowNesting(text: string): { deepest: number; at: Position } {
  let depth = 0
  let deepest = 0
  let passedAt = -1
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c === 0x5b || c === 0x7b) {
      if (++depth > deepest && (deepest = depth) === MAX_FLOW_NESTING + 1) passedAt = i
    } else if ((c === 0x5d || c === 0x7d) && depth > 0) depth--
  }
  if (passedAt === -1) return { deepest, at: TOP }
  const lineStart = text.lastIndexOf('\n', passedAt) + 1
  let line = 1
  for (let nl = text.indexOf('\n'); nl !== -1 && nl < passedAt; nl = text.indexOf('\n', nl + 1)) line++
  return { deepest, at: { line, column: passedAt - lineStart + 1 } }
}

/** A Go/Helm/Jinja placeholder standing where a YAML value or block should be. */
const TEMPLATE_PLACEHOLDER = /(:\s*["']?\{\{|^\s*(-\s*)?\{\{)/m

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
  const depth = flowNesting(text)
  if (depth.deepest > MAX_FLOW_NESTING) {
    return { documents: [], problems: [{ kind: 'yaml-too-deep', message: `brackets nest ${depth.deepest} deep here (more than ${MAX_FLOW_NESTING}, which no manifest needs); the file was not parsed`, position: depth.at }] }
  }
  return (reader === 'fast' ? readFast(file, text, each) : undefined) ?? readWithYaml(file, text, each)
}

/**
 * The fast reader: the file split into its documents, each read by fast-yaml.ts or, if it uses YAML
 * that reader leaves to `yaml`, by `yaml` alone. Undefined when the file must be read whole by `yaml`:
 * it cannot be split exactly, or a document has a syntax error (whose message and position must be
 * the ones `yaml` gives reading the whole file); ReferenceReaderNeeded if that shows after documents
 * were handed to `each`.
 */
function readFast(file: string, text: string, each?: (doc: SourceDocument) => void): ReadResult | undefined {
  const chunks = splitDocuments(text)
  if (!chunks) return undefined
  const crlf = text.includes('\r')
  if (crlf && /\r(?!\n)/.test(text)) return undefined // a carriage return alone: old Mac line ends, or a stray one
  // One look for what the fast reader leaves to `yaml` in the whole text, instead of one per document.
  const unsupportedCharacters = hasUnsupportedCharacters(crlf ? text.replaceAll('\r\n', '\n') : text)
  const result: ReadResult = { documents: [], problems: [] }
  let handedOver = false
  const take = (doc: SourceDocument): void => {
    if (!each) return void result.documents.push(doc)
    handedOver = true
    each(doc)
  }
  for (const [index, chunk] of chunks.entries()) {
    const source = fastSource(text, chunk, crlf)
    const fast = loadDocument(source.text, source.from, source.to, { charactersChecked: !unsupportedCharacters })
    if (fast !== UNSUPPORTED) {
      if (fast.value !== null) take(fastDocument(file, text, chunk, index, fast, source))
      continue
    }
    const yamlDoc = parseChunk(text, chunk)
    if (!yamlDoc) {
      if (handedOver) throw new ReferenceReaderNeeded(`${file}: document ${index + 1} has a syntax error`)
      return undefined
    }
    readYamlDocument(file, yamlDoc.doc, index, yamlDoc.position, result, take)
  }
  return result
}

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
function fastDocument(file: string, text: string, chunk: Chunk, index: number, fast: FastDocument, source: FastSource): SourceDocument {
  let parsed: ParsedChunk | undefined
  const yamlDoc = (): ParsedChunk => {
    if (parsed) return parsed
    parsed = parseChunk(text, chunk)
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
  const { Composer, Parser } = referenceYaml()
  const parser = new Parser(lineCounter.addNewLine)
  const composer = new Composer(YAML_OPTIONS(lineCounter))
  let docs: Document.Parsed[] = []
  withPlainEnv(() => {
    docs = [...composer.compose(parser.parse(text))]
  })
  return docs
}

// YAML as Kubernetes reads it (see yaml-options.ts): `on`/`yes` are booleans as kubectl sends them.
const YAML_OPTIONS = (lineCounter: LineCounter) => ({ ...KUBERNETES_YAML, uniqueKeys: true, lineCounter, prettyErrors: false, logLevel: 'error' }) as const

/** The reference reader: the whole file by `yaml`, each document handed over as soon as it is parsed. */
function readWithYaml(file: string, text: string, each?: (doc: SourceDocument) => void): ReadResult {
  const { Composer, LineCounter, Parser } = referenceYaml()
  const lineCounter = new LineCounter()
  const position = (offset: number): Position => {
    const { line, col } = lineCounter.linePos(offset)
    return { line, column: col }
  }
  const result: ReadResult = { documents: [], problems: [] }
  const take = each ?? ((doc: SourceDocument) => void result.documents.push(doc))
  // What parseAllDocuments(text, options) does, but one document at a time.
  const parser = new Parser(lineCounter.addNewLine)
  const composer = new Composer(YAML_OPTIONS(lineCounter))
  let index = 0
  withPlainEnv(() => {
    for (const doc of composer.compose(parser.parse(text))) readYamlDocument(file, doc, index++, position, result, take)
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
  let value: unknown
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT })
  } catch (error) {
    result.problems.push({
      kind: 'yaml-aliases',
      message: `document ${index + 1} expands too many aliases (${(error as Error).message}); it was not checked`,
      position: position(doc.range[0])
    })
    return
  }
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
 * Runs `body` with a plain copy of process.env in its place. yaml's Parser reads
 * process.env.LOG_TOKENS once per token (a debug hook; its Composer LOG_STREAM once per document),
 * and Node's process.env is a native lookup of ~0.3 µs: a fifth of the time to parse a large file.
 * The body is synchronous, so nothing else runs meanwhile; the copy keeps every variable.
 */
function withPlainEnv(body: () => void): void {
  const env = process.env
  process.env = { ...env }
  try {
    body()
  } finally {
    process.env = env
  }
}

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
