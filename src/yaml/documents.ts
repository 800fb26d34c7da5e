// YAML text → documents that remember where every key and value came from, so that a finding can
// point at the exact line and column. Each document is read by the fast reader (fast.ts) when it
// can, else by `yaml` (reference.ts); both give the same documents, and no caller can tell which
// read one. The reading itself is synchronous and pure (readSteps); the one asynchronous step,
// loading `yaml` the first time a document needs it, is the drivers' (readDocuments loads it,
// readDocumentsSync requires it loaded).
import type { Document } from 'yaml'
import { isObj } from '../manifest/model.js'
import type { Obj, Path } from '../manifest/model.js'
import { DECLINED, hasUnsupportedCharacters, loadDocument, splitDocuments } from './fast.js'
import type { Chunk, FastDocument } from './fast.js'
import { loadYaml, yamlLoaded } from './library.js'
import { boundedValue, commentsOf, composeDocuments, counterPosition, locateOffset, newLineCounter, syntaxErrors } from './reference.js'
import { MAX_BLOCK_NESTING, MAX_FLOW_NESTING, MAX_YAML_ENTRIES, scanShape } from './shape.js'
import type { Bulky, Shape } from './shape.js'
import { lineIndex, normalizeLineBreaks, positionAfter } from './text.js'
import type { LineIndex, Position } from './text.js'

export interface SourceDocument {
  /** File path as the user should see it (relative to the workspace). */
  file: string
  /** 0-based position of the document in a multi-document file. */
  index: number
  /** The document as plain data (YAML 1.1, as the Kubernetes tooling reads it). */
  value: unknown
  /** Where the document starts. */
  start: Position
  /**
   * The comments of the document that contain `word`, each the text after its `#` less white space
   * at its end, in no particular order; never text of a block scalar.
   */
  commentsWith(word: string): string[]
  /** Where a key (or its value) is; a missing path resolves to its nearest existing ancestor. */
  locate(path: Path, part?: 'key' | 'value'): Position
}

/** Something in the YAML that kept a document (or the file) from being read. */
export interface YamlProblem {
  kind: 'yaml-syntax' | 'yaml-aliases' | 'yaml-too-deep' | 'file-too-large'
  message: string
  position: Position
}

export interface ReadResult {
  documents: SourceDocument[]
  problems: YamlProblem[]
}

/**
 * Who reads the documents: `fast` (the default) lets the fast reader read each document it can
 * and `yaml` the others; `reference` has `yaml` read them all. Both give the same result (the
 * tests prove it); the reference stays for that proof.
 */
export type YamlReader = 'fast' | 'reference'

/** A document as soon as it is read; a promise it returns is awaited (by readDocuments) before the next is read. */
export type DocumentHandler = (doc: SourceDocument) => void | Promise<void>

/**
 * Reads YAML text (all its documents). With `each`, every document is handed to it as soon as it
 * is read (while the next one is not yet) instead of being collected in `documents`: a large
 * multi-document file then never holds all its documents at once. Loads `yaml` if a document needs it.
 */
export async function readDocuments(file: string, text: string, each?: DocumentHandler, reader: YamlReader = 'fast'): Promise<ReadResult> {
  const documents: SourceDocument[] = []
  const steps = readSteps(file, text, reader)
  for (;;) {
    const step = steps.next()
    if (step.done) return { documents, problems: step.value }
    if (step.value === NEEDS_YAML) await loadYaml()
    else if (!each) documents.push(step.value)
    else {
      const pending = each(step.value)
      if (pending) await pending
    }
  }
}

/**
 * readDocuments, synchronously: for callers that loaded `yaml` already (`await loadYaml()`), or know
 * the text needs no `yaml`. A document that needs `yaml` before it is loaded is an error.
 */
export function readDocumentsSync(file: string, text: string, each?: (doc: SourceDocument) => void, reader: YamlReader = 'fast'): ReadResult {
  const documents: SourceDocument[] = []
  const steps = readSteps(file, text, reader)
  for (;;) {
    const step = steps.next()
    if (step.done) return { documents, problems: step.value }
    if (step.value === NEEDS_YAML) throw new Error(`${file}: reading this YAML takes the yaml library, which is not loaded: await loadYaml() first, or read it with readDocuments`)
    if (each) each(step.value)
    else documents.push(step.value)
  }
}

/** What readSteps yields before it uses `yaml` while `yaml` is not loaded: the driver loads it and goes on. */
const NEEDS_YAML: unique symbol = Symbol('needs yaml')

/**
 * The reading: yields each document as it is read, and NEEDS_YAML before the first use of `yaml`
 * if it is not loaded; returns the problems.
 */
function* readSteps(file: string, text: string, reader: YamlReader): Generator<SourceDocument | typeof NEEDS_YAML, YamlProblem[], void> {
  text = normalizeLineBreaks(text)
  const problems: YamlProblem[] = []
  const shape = scanShape(text)
  if (shape.tooDeep) {
    const { what, depth, at } = shape.tooDeep
    const message =
      what === 'flow'
        ? `brackets nest ${depth} deep here (more than ${MAX_FLOW_NESTING}, which no manifest needs); the file was not parsed`
        : `block collections nest ${depth} deep here (indentation and "- " items; more than ${MAX_BLOCK_NESTING}, which no manifest needs); the file was not parsed`
    problems.push({ kind: 'yaml-too-deep', message, position: at })
    return problems
  }
  const chunks = reader === 'fast' ? splitDocuments(text) : undefined
  if (chunks) {
    yield* readChunks(file, text, shape, chunks, problems)
    return problems
  }
  // The reference reader, or a file that cannot be split exactly: `yaml` reads it whole.
  if (shape.bulky.length > 0) {
    problems.push(bulkyProblem(shape.bulky[0]))
    return problems
  }
  if (!yamlLoaded()) yield NEEDS_YAML
  yield* readWithYaml(file, text, { from: 0, to: text.length, line: 1 }, 0, problems)
  return problems
}

/** After this many documents left to `yaml`, if they are most of the file so far, `yaml` reads the rest of the file. */
const MANY_YAML_DOCUMENTS = 1000

/**
 * The file split into its documents, each read by the fast reader or, if it declines, by `yaml`
 * alone. When a document has a syntax error (whose message and place must be the ones `yaml`
 * gives reading on from there), or most documents so far were left to `yaml` (one `yaml` pass is
 * then faster: set up once, half the garbage), `yaml` reads the rest of the file from that
 * document on: the documents before it end at their `---` lines, so `yaml` reads the rest as it
 * would in the whole file.
 */
function* readChunks(file: string, text: string, shape: Shape, chunks: Chunk[], problems: YamlProblem[]): Generator<SourceDocument | typeof NEEDS_YAML, void, void> {
  const crlf = text.includes('\r')
  // One look for what the fast reader leaves to `yaml` in the whole text, instead of one per document.
  const charactersChecked = !hasUnsupportedCharacters(crlf ? text.replaceAll('\r\n', '\n') : text)
  // A document too large for `yaml` is read only if the fast reader reads it: otherwise the file is
  // refused, as the reference reader refuses it. Those documents are read first, and the file's
  // documents held back until its end (a file with a syntax error after one is refused too).
  const early = new Map<number, FastDocument>()
  let held: SourceDocument[] | undefined
  if (shape.bulky.length > 0) {
    held = []
    for (const [index, chunk] of chunks.entries()) {
      if (!bulkyIn(shape, chunk)) continue
      const source = fastSource(text, chunk, crlf)
      const fast = loadDocument(source.text, source.from, source.to, { charactersChecked })
      if (fast === DECLINED) {
        problems.push(bulkyProblem(shape.bulky[0]))
        return
      }
      early.set(index, fast)
    }
  }
  let yamlChunks = 0
  for (const [index, chunk] of chunks.entries()) {
    const source = fastSource(text, chunk, crlf)
    const fast = early.get(index) ?? loadDocument(source.text, source.from, source.to, { charactersChecked })
    if (fast !== DECLINED) {
      if (fast.value === null) continue // only comments, or nothing
      const doc = fastDocument(file, chunk, index, fast, source)
      if (held) held.push(doc)
      else yield doc
      continue
    }
    if (!yamlLoaded()) yield NEEDS_YAML
    const many = ++yamlChunks >= MANY_YAML_DOCUMENTS && yamlChunks * 2 > index + 1
    const alone = many ? undefined : yamlChunk(text, chunk)
    if (!alone) {
      if (held) {
        problems.push(bulkyProblem(shape.bulky[0]))
        return
      }
      yield* readWithYaml(file, text, chunk, index, problems)
      return
    }
    const doc = yamlDocument(file, alone.doc, index, alone.position, problems, alone.text)
    if (!doc) continue
    if (held) held.push(doc)
    else yield doc
  }
  if (held) yield* held
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

/** Whether a document of the chunk is too large for `yaml`. */
function bulkyIn(shape: Shape, chunk: Chunk): boolean {
  return shape.bulky.some((b) => b.from >= chunk.from && b.from < chunk.to)
}

/** The problem for a file with a document too large for `yaml` (see MAX_YAML_ENTRIES). */
function bulkyProblem(bulky: Bulky): YamlProblem {
  return {
    kind: 'file-too-large',
    message: `the document here is too large for the full YAML reader, which reads what the fast reader does not (anchors, tags, multi-line strings, ...): ${bulky.entries} entries (lines, items and brackets), more than ${MAX_YAML_ENTRIES}; the file was not parsed`,
    position: bulky.at
  }
}

/**
 * A document the fast reader read. A finding is located by reading the document again, with
 * positions and comments: only a document with a finding is read twice.
 */
function fastDocument(file: string, chunk: Chunk, index: number, fast: FastDocument, source: FastSource): SourceDocument {
  let located: FastDocument | undefined
  const withPositions = (): FastDocument => {
    // The same text read the same way, so never declined.
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
    // A comment holding the word is in the document's text: without the word there, no need to read it again.
    commentsWith: (word) => (source.text.slice(source.from, source.to).includes(word) ? withPositions().comments!.filter((c) => c.includes(word)) : []),
    locate: (path, part = 'key') => position(locateFast(withPositions(), path, part))
  }
}

/** locateOffset (reference.ts) over the fast reader's positions: the same answers. */
function locateFast(doc: FastDocument, path: Path, part: 'key' | 'value'): number {
  let node = doc.value
  let found = doc.start
  for (let i = 0; i < path.length; i++) {
    const segment = path[i]
    if (Array.isArray(node) ? typeof segment !== 'number' : !isObj(node)) return found
    const at = doc.positions!.get(node as object)?.get(Array.isArray(node) ? segment : String(segment))
    if (!at) return found
    const [keyAt, valueAt] = at
    found = keyAt
    if (i === path.length - 1 && part === 'value' && !Array.isArray(node)) return valueAt
    node = Array.isArray(node) ? node[segment as number] : (node as Obj)[String(segment)]
  }
  return found
}

interface YamlChunk {
  doc: Document.Parsed
  /** What `yaml` read: the chunk's text. */
  text: string
  /** Position in the file of an offset in the chunk. */
  position: (offset: number) => Position
}

/** One chunk of the file read by `yaml`, or undefined if it has errors or is not exactly one document. */
function yamlChunk(text: string, chunk: Chunk): YamlChunk | undefined {
  const lineCounter = newLineCounter()
  const chunkText = text.slice(chunk.from, chunk.to)
  const docs = [...composeDocuments(chunkText, lineCounter)]
  if (docs.length !== 1 || docs[0].errors.length > 0) return undefined
  return { doc: docs[0], text: chunkText, position: counterPosition(lineCounter, chunk.line) }
}

/**
 * `yaml` reads the file from `from.from` on (the start of the chunk at index `index`, on line
 * `from.line`): each document is handed over as soon as it is read.
 */
function* readWithYaml(file: string, text: string, from: Chunk, index: number, problems: YamlProblem[]): Generator<SourceDocument, void, void> {
  const lineCounter = newLineCounter()
  const rest = from.from === 0 ? text : text.slice(from.from)
  const position = counterPosition(lineCounter, from.line)
  for (const doc of composeDocuments(rest, lineCounter)) {
    const read = yamlDocument(file, doc, index++, position, problems, rest)
    if (read) yield read
  }
}

/** One document as `yaml` read it: a SourceDocument, or nothing (its problems added, or an empty document). */
function yamlDocument(file: string, doc: Document.Parsed, index: number, position: (offset: number) => Position, problems: YamlProblem[], text: string): SourceDocument | undefined {
  if (doc.errors.length > 0) {
    for (const error of syntaxErrors(doc, text)) problems.push({ kind: 'yaml-syntax', message: error.message, position: position(error.offset) })
    return undefined
  }
  if (doc.contents === null) return undefined // an empty document between `---` separators
  const read = boundedValue(doc)
  if ('error' in read) {
    problems.push({ kind: 'yaml-aliases', message: `document ${index + 1} expands too many aliases (${read.error}); it was not checked`, position: position(doc.range[0]) })
    return undefined
  }
  const value = read.value
  if (value === null || value === undefined) return undefined // only a comment, or `---` with nothing after it
  return {
    file,
    index,
    value,
    start: position(doc.contents.range?.[0] ?? doc.range[0]),
    commentsWith: (word) => commentsOf(doc).filter((c) => c.includes(word)),
    locate: (path, part = 'key') => position(locateOffset(doc, path, part))
  }
}
