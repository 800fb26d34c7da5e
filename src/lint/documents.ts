// YAML text → documents that remember where every key and value came from, so a finding can point
// at the exact line and column. Pure: the caller reads the bytes.
import { Composer, LineCounter, Parser, isMap, isNode, isPair, isScalar, isSeq, visit } from 'yaml'
import type { Document, Node as YamlNode, YAMLError } from 'yaml'

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
  /** The document's own text, comments included. */
  text: string
  /** Every comment of the document (the text after each `#`, a line each), not the text of block scalars. */
  comments(): string[]
  /** Where a key (or its value) is; a missing path resolves to its nearest existing ancestor. */
  locate(path: Path, part?: 'key' | 'value'): Position
}

/** Something that kept a file or a document from being read. */
export interface ReadProblem {
  kind: 'yaml-syntax' | 'yaml-aliases' | 'file-too-large' | 'file-binary' | 'file-encoding' | 'file-empty' | 'file-template'
  message: string
  position: Position
}

export interface ReadResult {
  documents: SourceDocument[]
  problems: ReadProblem[]
}

/** Files above this size are not parsed: no RayJob manifest is anywhere near it, and parsing one could stall a run. */
export const MAX_FILE_BYTES = 4 * 1024 * 1024
/** Alias expansions allowed per document before it is treated as an alias bomb. */
const MAX_ALIAS_COUNT = 100

const TOP: Position = { line: 1, column: 1 }

/**
 * Reads one file's bytes into documents, or says clearly why it could not. With `each`, every
 * document is handed to it as soon as it is parsed instead of being collected (see parseText).
 */
export function readManifest(file: string, bytes: Uint8Array, each?: (doc: SourceDocument) => void): ReadResult {
  if (bytes.length === 0) {
    return problem('file-empty', 'the file is empty; nothing to check')
  }
  if (bytes.length > MAX_FILE_BYTES) {
    const mib = (bytes.length / 1024 / 1024).toFixed(1)
    return problem('file-too-large', `the file is ${mib} MiB, above the ${MAX_FILE_BYTES / 1024 / 1024} MiB limit for a manifest; it was not parsed`)
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
  if (TEMPLATE_PLACEHOLDER.test(text)) {
    return problem('file-template', 'the file is a template ({{ ... }} placeholders as values): lint the rendered manifests instead; it was not checked')
  }
  return parseText(file, text, each)
}

/** A Go/Helm/Jinja placeholder standing where a YAML value or block should be. */
const TEMPLATE_PLACEHOLDER = /(:\s*["']?\{\{|^\s*(-\s*)?\{\{)/m

function problem(kind: ReadProblem['kind'], message: string): ReadResult {
  return { documents: [], problems: [{ kind, message, position: TOP }] }
}

/**
 * Parses YAML text (all documents) into SourceDocuments. With `each`, every document is handed to it
 * as soon as it is parsed (while the next one is read) instead of being collected in `documents`:
 * a large multi-document file then never holds all its syntax trees at once (less memory, less GC).
 */
export function parseText(file: string, text: string, each?: (doc: SourceDocument) => void): ReadResult {
  const lineCounter = new LineCounter()
  const position = (offset: number): Position => {
    const { line, col } = lineCounter.linePos(offset)
    return { line, column: col }
  }
  const result: ReadResult = { documents: [], problems: [] }
  const take = each ?? ((doc: SourceDocument) => void result.documents.push(doc))
  // YAML 1.1 with merge keys: what sigs.k8s.io/yaml (go-yaml) accepts, so `on`/`yes` are booleans as kubectl sends them.
  // What parseAllDocuments(text, options) does, but one document at a time.
  const parser = new Parser(lineCounter.addNewLine)
  const composer = new Composer({ version: '1.1', merge: true, uniqueKeys: true, lineCounter, prettyErrors: false, logLevel: 'error' })
  let index = 0
  withPlainEnv(() => {
    for (const doc of composer.compose(parser.parse(text))) read(doc, index++)
  })
  return result

  function read(doc: Document.Parsed, index: number): void {
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
      text: text.slice(doc.range[0], doc.range[2]),
      comments: () => commentsOf(doc),
      locate: (path, part = 'key') => position(locateOffset(doc, path, part))
    })
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
  process.env = { ...env }
  try {
    body()
  } finally {
    process.env = env
  }
}

/** The comments the parser kept on the document and its nodes (a comment above the first document is the document's). */
function commentsOf(doc: Document.Parsed): string[] {
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
