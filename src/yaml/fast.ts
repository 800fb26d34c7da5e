// A fast reader for the YAML that Kubernetes manifests are written in: block mappings and
// sequences, plain, quoted and block scalars, one-line flow collections. For such a document it
// gives exactly what the `yaml` library gives with the one set of options (options.ts: YAML 1.1 as
// sigs.k8s.io/yaml reads it): the value, where every key, value and item is, and the comments.
// For anything else (anchors, aliases, tags, merge keys, directives, multi-line plain or quoted
// scalars, tabs, duplicate keys, non-string keys, syntax errors, ...) it answers DECLINED and the
// caller asks `yaml`. Positions and comments, which only a document with a finding needs, are
// recorded when asked for, in a second read. Only documents.ts and value.ts use it: no caller of
// the YAML module can tell which reader read a document.
//
// It is more than ten times faster than `yaml` and makes far less garbage. The tests check it
// against `yaml` on every fixture, rule case, conformance variant, the bench's documents,
// hand-written edge cases, seeded random documents and property-based generated ones
// (__tests__/yaml/equivalence.test.ts).

/** The answer for a document (or text) this reader does not read exactly like `yaml`: ask `yaml`. */
export const DECLINED: unique symbol = Symbol('declined: read by yaml')

export interface FastDocument {
  value: unknown
  /** Offset of the document's first content character (where `yaml` says its contents start). */
  start: number
  /** Where the keys, values and items are, when asked for (see loadDocument). */
  positions?: Positions
  /** The comments of the document (the text after each `#`, less white space at its end; none empty), when positions are asked for. */
  comments?: string[]
}

/**
 * Where the parts of each mapping and sequence of a value are, by the mapping or sequence object:
 * key (or index) → [offset of the key (or item), offset of the value (or item)], each the offset
 * `yaml` gives the node as its range[0]. An empty value or item is where `yaml` puts its empty
 * scalar: right after the `:` or `-` and the spaces after it.
 */
export type Positions = WeakMap<object, Map<string | number, [number, number]>>

/** One document of a multi-document file: its text is [from, to); line is the 1-based line of `from`. */
export interface Chunk {
  from: number
  to: number
  line: number
}

const SPACE = 0x20
const NEWLINE = 0x0a
const HASH = 0x23
const COLON = 0x3a
const DASH = 0x2d
const DOUBLE_QUOTE = 0x22
const SINGLE_QUOTE = 0x27
const BACKSLASH = 0x5c

/**
 * What this reader never handles: tabs (YAML's rules for them are subtle), carriage returns that do
 * not end a line, NUL and other control characters, the byte order mark, and the Unicode line and
 * paragraph separators (`yaml` reads them as text where YAML 1.1 says line break).
 */
// eslint-disable-next-line no-control-regex -- control characters are what it looks for
const UNSUPPORTED_CHARACTERS = /[\t\r\0-\x08\x0b\x0c\x0e-\x1f\x7f\x85\u2028\u2029\ufeff]/

/**
 * Splits a file into its documents at the `---` lines, or undefined when the file has anything
 * that makes the split uncertain: a `...` end marker, a `%` directive, content on a `---` line.
 * YAML allows no other column-0 `---` line (inside a block scalar or a flow collection it is an
 * error), so for YAML `yaml` reads without errors, the chunks are exactly its documents.
 * Comments above the first `---` belong to the first document, as `yaml` reads them.
 */
export function splitDocuments(text: string): Chunk[] | undefined {
  const markers: { offset: number; line: number }[] = []
  let contentBeforeFirstMarker = false
  let line = 1
  for (let p = 0; p < text.length; line++) {
    let next = text.indexOf('\n', p)
    if (next === -1) next = text.length
    const end = text.charCodeAt(next - 1) === 0x0d && next > p ? next - 1 : next // a CRLF line ends before its CR
    const c = text.charCodeAt(p)
    if (c === DASH && isMarker(text, p, '---')) {
      if (!onlyCommentAfter(text, p + 3, end)) return undefined
      markers.push({ offset: p, line })
    } else if ((c === 0x2e && isMarker(text, p, '...')) || c === 0x25 /* % */) {
      return undefined
    } else if (markers.length === 0 && !contentBeforeFirstMarker && hasContent(text, p, end)) {
      contentBeforeFirstMarker = true
    }
    p = next + 1
  }
  const chunks: Chunk[] = []
  if (markers.length === 0 || contentBeforeFirstMarker) chunks.push({ from: 0, to: markers[0]?.offset ?? text.length, line: 1 })
  markers.forEach((marker, i) => {
    const from = i === 0 && !contentBeforeFirstMarker ? 0 : marker.offset
    chunks.push({ from, to: markers[i + 1]?.offset ?? text.length, line: from === 0 ? 1 : marker.line })
  })
  return chunks
}

/** `---` or `...` at `p`, followed by white space or the end: a document marker, as `yaml` sees one. */
function isMarker(text: string, p: number, marker: string): boolean {
  if (!text.startsWith(marker, p)) return false
  const next = text.charCodeAt(p + 3)
  return Number.isNaN(next) || next === SPACE || next === NEWLINE || next === 0x09 || next === 0x0d
}

function onlyCommentAfter(text: string, p: number, end: number): boolean {
  while (p < end && text.charCodeAt(p) === SPACE) p++
  return p === end || (text.charCodeAt(p) === HASH && text.charCodeAt(p - 1) === SPACE)
}

function hasContent(text: string, p: number, end: number): boolean {
  while (p < end && text.charCodeAt(p) === SPACE) p++
  return p < end && text.charCodeAt(p) !== HASH
}

/** Whether the text has characters this reader leaves to `yaml` (then only a document without them is read here). */
export function hasUnsupportedCharacters(text: string): boolean {
  return UNSUPPORTED_CHARACTERS.test(text)
}

export interface LoadOptions {
  /** The caller found no unsupported character in the whole text (hasUnsupportedCharacters). */
  charactersChecked?: boolean
  /** Record where every key, value and item is, and the comments (to locate findings; slower). */
  positions?: boolean
}

/** Reads the one document in text[from, to) (a chunk), or declines it. */
export function loadDocument(text: string, from = 0, to = text.length, options: LoadOptions = {}): FastDocument | typeof DECLINED {
  if (!options.charactersChecked && hasUnsupportedCharacters(from === 0 && to === text.length ? text : text.slice(from, to))) return DECLINED
  return new Reader(text, from, to, options.positions === true).document()
}

/** Reads the first document of YAML text that may hold several (go-yaml unmarshals only the first), or declines it. */
export function loadFirstDocument(text: string): FastDocument | typeof DECLINED {
  const chunks = splitDocuments(text)
  if (!chunks) return DECLINED
  return loadDocument(text, chunks[0].from, chunks[0].to)
}

/** Deeper than any manifest: a document nested this deep goes to `yaml`. */
const MAX_DEPTH = 64

/** What a method that reads a part and where it ends gives once the document is declined. */
const NOTHING: [undefined, number] = [undefined, -1]

/**
 * A recursive-descent reader over the lines of one document. Between calls `pos` is at the start
 * of a line; `nextContent` moves it to the next line with content and fills in that line's
 * indentation, first character and end. When the document turns out to be one it leaves to
 * `yaml`, `declined` is set: from then on every method returns at once (what it returns no longer
 * matters), and document() answers DECLINED.
 */
class Reader {
  private pos: number
  private indent = 0
  private first = 0
  private lineStart = 0
  private lineEnd = 0
  private depth = 0
  private declined = false
  /** Offset of the value the last mapValue read (of its empty scalar if it has none); read only with positions. */
  private valueAt = 0
  private readonly positions: Positions | undefined
  private readonly comments: string[] | undefined

  constructor(
    private readonly s: string,
    from: number,
    private readonly end: number,
    withPositions: boolean
  ) {
    this.pos = from
    this.positions = withPositions ? new WeakMap() : undefined
    this.comments = withPositions ? [] : undefined
  }

  /** Gives up on the document (see the class). */
  private decline(): undefined {
    this.declined = true
    return undefined
  }

  /** Records where a key and its value (or an item) are in `collection`, when positions are asked for. */
  private record(collection: object, key: string | number, keyAt: number, valueAt: number): void {
    const positions = this.positions!
    let parts = positions.get(collection)
    if (!parts) positions.set(collection, (parts = new Map()))
    parts.set(key, [keyAt, valueAt])
  }

  /** Keeps the comment whose `#` is at `hash` on the current line, when comments are asked for. */
  private comment(hash: number, lineEnd = this.lineEnd): void {
    if (!this.comments) return
    const text = this.s.slice(hash + 1, lineEnd).trimEnd()
    if (text) this.comments.push(text)
  }

  /** Keeps the comment, if any, after `p` on the current line (where onlyCommentAfter said only a comment may be). */
  private commentAfter(p: number): void {
    if (!this.comments) return
    while (p < this.lineEnd && this.s.charCodeAt(p) === SPACE) p++
    if (p < this.lineEnd) this.comment(p)
  }

  document(): FastDocument | typeof DECLINED {
    const s = this.s
    if (!this.nextContent()) return { value: null, start: this.end, positions: this.positions, comments: this.comments }
    if (this.lineStart === this.first && isMarker(s, this.first, '---')) {
      // The chunk's own `---` line (splitDocuments checked that only a comment follows it).
      this.commentAfter(this.first + 3)
      this.pos = this.lineEnd + 1
      if (!this.nextContent()) return { value: null, start: this.end, positions: this.positions, comments: this.comments }
    }
    const start = this.first
    const c = s.charCodeAt(start)
    let value: unknown
    if (c === 0x5b /* [ */ || c === 0x7b /* { */) {
      const [flowValue, after] = this.flow(start)
      if (!this.declined) this.lineTail(after)
      value = flowValue
    } else if (this.isSequenceItem(start)) {
      value = this.sequence(this.indent)
    } else {
      const key = this.mapKey(start)
      if (!key) return DECLINED // a scalar document: not a manifest
      value = this.mapping(this.indent, key)
    }
    // Anything after the root node is an error (or a construct not read here).
    if (this.declined || this.nextContent()) return DECLINED
    return { value, start, positions: this.positions, comments: this.comments }
  }

  /** Moves to the next line that is not blank and not only a comment; false at the end of the document. */
  private nextContent(): boolean {
    const s = this.s
    let p = this.pos
    while (p < this.end) {
      let e = s.indexOf('\n', p)
      if (e === -1 || e > this.end) e = this.end
      let q = p
      while (q < e && s.charCodeAt(q) === SPACE) q++
      if (q < e) {
        if (s.charCodeAt(q) !== HASH) {
          this.pos = p
          this.lineStart = p
          this.lineEnd = e
          this.first = q
          this.indent = q - p
          return true
        }
        this.comment(q, e)
      }
      p = e + 1
    }
    this.pos = this.end
    return false
  }

  private isSequenceItem(p: number): boolean {
    return this.s.charCodeAt(p) === DASH && (p + 1 === this.lineEnd || this.s.charCodeAt(p + 1) === SPACE)
  }

  /** A node on the following lines (more indented than its parent); the current line is its first. */
  private block(): unknown {
    if (++this.depth > MAX_DEPTH) return this.decline()
    let value: unknown
    if (this.isSequenceItem(this.first)) value = this.sequence(this.indent)
    else {
      const key = this.mapKey(this.first)
      if (key) value = this.mapping(this.indent, key)
      else if (!this.declined) value = this.scalarLine(this.first)
    }
    this.depth--
    return value
  }

  /** A block mapping whose keys are at column `indent`; its first key is on the current line. */
  private mapping(indent: number, key: MapKey): Record<string, unknown> {
    const map: Record<string, unknown> = {}
    for (;;) {
      if (key.name === '__proto__' || Object.hasOwn(map, key.name)) return this.decline() ?? map // a duplicate is an error in `yaml`
      map[key.name] = this.mapValue(indent, key.after)
      if (this.declined) return map
      if (this.positions) this.record(map, key.name, key.at, this.valueAt)
      if (!this.nextContent() || this.indent < indent) return map
      if (this.indent > indent) return this.decline() ?? map
      const next = this.mapKey(this.first)
      if (!next) return this.decline() ?? map
      key = next
    }
  }

  /** The value after a mapping key's `:` at `p`, on this line or the lines below. */
  private mapValue(indent: number, p: number): unknown {
    const s = this.s
    while (p < this.lineEnd && s.charCodeAt(p) === SPACE) p++
    if (p < this.lineEnd && s.charCodeAt(p) !== HASH) {
      this.valueAt = p
      return this.inlineValue(p, indent)
    }
    if (p < this.lineEnd) this.comment(p)
    // Where `yaml` puts the empty scalar of a key without a value: after the `:` and the spaces after it.
    this.valueAt = p
    this.pos = this.lineEnd + 1
    if (!this.nextContent()) return null
    const at = this.first
    let value: unknown
    if (this.indent > indent) value = this.block()
    // A sequence may sit at its key's own indentation (`key:` then `- item` below it).
    else if (this.indent === indent && this.isSequenceItem(this.first)) value = this.sequence(indent)
    else return null
    this.valueAt = at
    return value
  }

  /** A block sequence whose `-` are at column `indent`; its first item is on the current line. */
  private sequence(indent: number): unknown[] {
    const s = this.s
    const items: unknown[] = []
    for (;;) {
      let p = this.first + 1
      while (p < this.lineEnd && s.charCodeAt(p) === SPACE) p++
      if (p === this.lineEnd || s.charCodeAt(p) === HASH) {
        if (p < this.lineEnd) this.comment(p)
        // An empty item is where `yaml` puts its empty scalar: after the `-` and the spaces after it.
        const empty = p
        this.pos = this.lineEnd + 1
        if (!this.nextContent()) {
          this.addItem(items, null, empty)
          return items
        }
        const at = this.first
        if (this.indent > indent) this.addItem(items, this.block(), at)
        else this.addItem(items, null, empty)
      } else if (this.isSequenceItem(p)) {
        return this.decline() ?? items // `- - a`: a sequence in a sequence on one line
      } else {
        const key = this.mapKey(p)
        if (this.declined) return items
        this.addItem(items, key ? this.compactMapping(p, key) : this.inlineValue(p, indent), p)
      }
      if (this.declined || !this.nextContent() || this.indent < indent) return items
      if (this.indent > indent) return this.decline() ?? items
      // At the sequence's indentation without a `-`: it was a mapping value at its key's indentation, and the mapping goes on.
      if (!this.isSequenceItem(this.first)) return items
    }
  }

  private addItem(items: unknown[], item: unknown, at: number): void {
    if (this.positions) this.record(items, items.length, at, at)
    items.push(item)
  }

  /** `- key: value` and the keys below it, at the column of the first key. */
  private compactMapping(p: number, key: MapKey): Record<string, unknown> | undefined {
    if (++this.depth > MAX_DEPTH) return this.decline()
    const map = this.mapping(p - this.lineStart, key)
    this.depth--
    return map
  }

  /** A scalar or flow collection alone on its line, as a value below its key or `-`. */
  private scalarLine(p: number): unknown {
    const c = this.s.charCodeAt(p)
    if (c === 0x7c /* | */ || c === 0x3e /* > */) return this.decline()
    return this.inlineValue(p, -1)
  }

  /** A value that starts at `p` on the current line; `parentIndent` is the indentation of the collection holding it. */
  private inlineValue(p: number, parentIndent: number): unknown {
    const c = this.s.charCodeAt(p)
    switch (c) {
      case 0x7c /* | */:
      case 0x3e /* > */:
        return this.blockScalar(p, parentIndent)
      case DOUBLE_QUOTE:
      case SINGLE_QUOTE:
      case 0x5b /* [ */:
      case 0x7b /* { */: {
        const [value, after] = c === DOUBLE_QUOTE ? this.doubleQuoted(p) : c === SINGLE_QUOTE ? this.singleQuoted(p) : this.flow(p)
        if (!this.declined) this.lineTail(after)
        return value
      }
      default:
        return this.plainValue(p)
    }
  }

  /** After a quoted scalar or flow collection: only spaces and a comment may follow on the line. */
  private lineTail(p: number): void {
    if (!onlyCommentAfter(this.s, p, this.lineEnd)) return this.decline()
    this.commentAfter(p)
    this.pos = this.lineEnd + 1
  }

  /**
   * A plain scalar value on one line. A more-indented line after it would continue it (a multi-line
   * scalar): the caller's next line then is more indented than its collection, and it gives up.
   */
  private plainValue(p: number): unknown {
    const s = this.s
    if (!canStartPlain(s, p, this.lineEnd)) return this.decline()
    let end = this.lineEnd
    for (let i = p; i < end; i++) {
      const c = s.charCodeAt(i)
      if (c === HASH && s.charCodeAt(i - 1) === SPACE) {
        this.comment(i)
        end = i
      } else if (c === COLON && (i + 1 === this.lineEnd || s.charCodeAt(i + 1) === SPACE)) return this.decline() // `a: b: c`, a mapping in a value
    }
    while (s.charCodeAt(end - 1) === SPACE) end--
    this.pos = this.lineEnd + 1
    return resolvePlain(s.slice(p, end))
  }

  /**
   * A mapping key at `p` (plain or quoted, then `:` and a space or the line's end), or undefined if
   * the line holds none there (or the document is declined). Only keys that `yaml` reads as
   * strings are read here.
   */
  private mapKey(p: number): MapKey | undefined {
    const s = this.s
    const c = s.charCodeAt(p)
    if (c === DOUBLE_QUOTE || c === SINGLE_QUOTE) {
      const [name, after] = c === DOUBLE_QUOTE ? this.doubleQuoted(p) : this.singleQuoted(p)
      if (name === undefined) return undefined
      let q = after
      while (q < this.lineEnd && s.charCodeAt(q) === SPACE) q++
      if (s.charCodeAt(q) !== COLON || !(q + 1 === this.lineEnd || s.charCodeAt(q + 1) === SPACE)) return undefined
      return { name, at: p, after: q + 1 }
    }
    if (!canStartPlain(s, p, this.lineEnd)) return undefined
    let colon = -1
    for (let i = p; i < this.lineEnd; i++) {
      const c = s.charCodeAt(i)
      if (c === HASH && s.charCodeAt(i - 1) === SPACE) return undefined // a comment before any `: `
      if (c === COLON && (i + 1 === this.lineEnd || s.charCodeAt(i + 1) === SPACE)) {
        colon = i
        break
      }
    }
    if (colon === -1) return undefined
    if (colon - p > 1000) return this.decline() // `yaml` limits implicit keys to 1024 characters
    let end = colon
    while (s.charCodeAt(end - 1) === SPACE) end--
    const name = s.slice(p, end)
    if (plainTag(name) !== 'str') return this.decline() // `yes:`, `1:`, `null:`, `<<:` ...: keys `yaml` does not read as the same string
    return { name, at: p, after: colon + 1 }
  }

  /** A literal (`|`) or folded (`>`) block scalar whose header is at `p`, ported from `yaml`'s resolveBlockScalar. */
  private blockScalar(p: number, parentIndent: number): string | undefined {
    const s = this.s
    const folded = s.charCodeAt(p) === 0x3e
    let q = p + 1
    let strip = false
    if (s.charCodeAt(q) === DASH) {
      strip = true
      q++
    }
    // `|+` (keep), indentation indicators and anything else in the header: read by `yaml`.
    if (q < this.lineEnd && s.charCodeAt(q) !== SPACE) return this.decline()
    if (!onlyCommentAfter(s, q, this.lineEnd)) return this.decline()
    this.commentAfter(q)

    const lines: [number, number][] = [] // [start, end] of each line, up to the last content line
    let contentIndent = -1
    let lastContent = -1
    let maxLeadingBlank = 0
    let lineStart = this.lineEnd + 1
    while (lineStart < this.end) {
      let lineEnd = s.indexOf('\n', lineStart)
      if (lineEnd === -1 || lineEnd > this.end) lineEnd = this.end
      let c = lineStart
      while (c < lineEnd && s.charCodeAt(c) === SPACE) c++
      const blank = c === lineEnd
      const indent = c - lineStart
      if (!blank) {
        if (contentIndent === -1) contentIndent = indent
        if (indent < contentIndent) break
        lastContent = lines.length
      } else if (contentIndent === -1) {
        maxLeadingBlank = Math.max(maxLeadingBlank, indent)
      } else if (indent > contentIndent) {
        return this.decline() // a more-indented blank line: `yaml` keeps it as content when it trails
      }
      lines.push([lineStart, lineEnd])
      lineStart = lineEnd + 1
    }
    // No content, content not indented below its parent, or leading blank lines indented past it: read by `yaml`.
    if (lastContent === -1 || contentIndent <= parentIndent || maxLeadingBlank > contentIndent) return this.decline()

    let value = ''
    let sep = ''
    let previousMoreIndented = false
    let started = false
    for (let i = 0; i <= lastContent; i++) {
      const [start, end] = lines[i]
      let c = start
      while (c < end && s.charCodeAt(c) === SPACE) c++
      const indent = c - start
      const content = s.slice(c, end)
      if (!started) {
        if (content === '') {
          value += '\n'
          continue
        }
        started = true
      }
      const more = indent > contentIndent ? ' '.repeat(indent - contentIndent) : ''
      if (!folded) {
        value += sep + more + content
        sep = '\n'
      } else if (indent > contentIndent) {
        if (sep === ' ') sep = '\n'
        else if (!previousMoreIndented && sep === '\n') sep = '\n\n'
        value += sep + more + content
        sep = '\n'
        previousMoreIndented = true
      } else if (content === '') {
        if (sep === '\n') value += '\n'
        else sep = '\n'
      } else {
        value += sep + content
        sep = ' '
        previousMoreIndented = false
      }
    }
    if (!strip) value += '\n'
    const [, lastEnd] = lines[lastContent]
    this.pos = lastEnd + 1
    return value
  }

  /** A double-quoted scalar on one line starting at `p`: its value and the offset after the closing quote. */
  private doubleQuoted(p: number): [string, number] | typeof NOTHING {
    const s = this.s
    let value = ''
    let from = p + 1
    for (let i = p + 1; i < this.lineEnd; i++) {
      const c = s.charCodeAt(i)
      if (c === DOUBLE_QUOTE) return [value + s.slice(from, i), i + 1]
      if (c !== BACKSLASH) continue
      value += s.slice(from, i)
      const escaped = escape(s, i + 1, this.lineEnd)
      if (!escaped) return this.decline() ?? NOTHING
      value += escaped[0]
      i += escaped[1]
      from = i + 1
    }
    return this.decline() ?? NOTHING // a quoted scalar that goes on over lines
  }

  /** A single-quoted scalar on one line starting at `p`: its value and the offset after the closing quote. */
  private singleQuoted(p: number): [string, number] | typeof NOTHING {
    const s = this.s
    for (let i = p + 1; i < this.lineEnd; i++) {
      if (s.charCodeAt(i) !== SINGLE_QUOTE) continue
      if (s.charCodeAt(i + 1) === SINGLE_QUOTE && i + 1 < this.lineEnd) {
        i++
        continue
      }
      return [s.slice(p + 1, i).replaceAll("''", "'"), i + 1]
    }
    return this.decline() ?? NOTHING
  }

  /** A flow collection on one line starting at `p` (`[` or `{`): its value and the offset after it. */
  private flow(p: number): [unknown, number] {
    if (++this.depth > MAX_DEPTH) return this.decline() ?? NOTHING
    const result = this.s.charCodeAt(p) === 0x5b ? this.flowSequence(p) : this.flowMapping(p)
    this.depth--
    return result
  }

  private flowSequence(p: number): [unknown[] | undefined, number] {
    const items: unknown[] = []
    p = this.skipSpaces(p + 1)
    if (this.declined) return NOTHING
    if (this.s.charCodeAt(p) === 0x5d /* ] */) return [items, p + 1]
    for (;;) {
      const [item, after] = this.flowNode(p)
      if (this.declined) return NOTHING
      this.addItem(items, item, p)
      p = this.skipSpaces(after)
      if (this.declined) return NOTHING
      const c = this.s.charCodeAt(p)
      if (c === 0x5d) return [items, p + 1]
      if (c !== 0x2c /* , */) return this.decline() ?? NOTHING // `[a: b]` (a pair in a sequence), a comment, the line's end, ...
      p = this.skipSpaces(p + 1)
      if (this.declined) return NOTHING
      if (this.s.charCodeAt(p) === 0x5d) return [items, p + 1]
    }
  }

  private flowMapping(p: number): [Record<string, unknown> | undefined, number] {
    const s = this.s
    const map: Record<string, unknown> = {}
    p = this.skipSpaces(p + 1)
    if (this.declined) return NOTHING
    if (s.charCodeAt(p) === 0x7d /* } */) return [map, p + 1]
    for (;;) {
      const c = s.charCodeAt(p)
      const keyAt = p
      let name: string | undefined
      if (c === DOUBLE_QUOTE || c === SINGLE_QUOTE) {
        ;[name, p] = c === DOUBLE_QUOTE ? this.doubleQuoted(p) : this.singleQuoted(p)
        if (name === undefined) return NOTHING
        // After a quoted key the `:` may touch the value (JSON); after spaces it needs one after it too.
        if (s.charCodeAt(p) !== COLON) {
          p = this.skipSpaces(p)
          if (this.declined) return NOTHING
          if (s.charCodeAt(p) !== COLON || s.charCodeAt(p + 1) !== SPACE) return this.decline() ?? NOTHING
        }
      } else {
        const [key, after] = this.flowPlainText(p)
        if (key === undefined) return NOTHING
        if (plainTag(key) !== 'str' || s.charCodeAt(after) !== COLON) return this.decline() ?? NOTHING
        name = key
        p = after
      }
      if (name === '__proto__' || Object.hasOwn(map, name)) return this.decline() ?? NOTHING
      p = this.skipSpaces(p + 1)
      if (this.declined) return NOTHING
      const next = s.charCodeAt(p)
      if (next === 0x2c || next === 0x7d) return this.decline() ?? NOTHING // a key without a value
      const [value, after] = this.flowNode(p)
      if (this.declined) return NOTHING
      map[name] = value
      if (this.positions) this.record(map, name, keyAt, p)
      p = this.skipSpaces(after)
      if (this.declined) return NOTHING
      const end = s.charCodeAt(p)
      if (end === 0x7d) return [map, p + 1]
      if (end !== 0x2c) return this.decline() ?? NOTHING
      p = this.skipSpaces(p + 1)
      if (this.declined) return NOTHING
      if (s.charCodeAt(p) === 0x7d) return [map, p + 1]
    }
  }

  private flowNode(p: number): [unknown, number] {
    const c = this.s.charCodeAt(p)
    if (c === 0x5b || c === 0x7b) return this.flow(p)
    if (c === DOUBLE_QUOTE) return this.doubleQuoted(p)
    if (c === SINGLE_QUOTE) return this.singleQuoted(p)
    const [text, after] = this.flowPlainText(p)
    return text === undefined ? NOTHING : [resolvePlain(text), after]
  }

  /** A plain scalar inside a flow collection: up to `,` `[` `]` `{` `}` or a `: ` (the end of a key). */
  private flowPlainText(p: number): [string, number] | typeof NOTHING {
    const s = this.s
    if (!canStartPlain(s, p, this.lineEnd)) return this.decline() ?? NOTHING
    let i = p
    for (; i < this.lineEnd; i++) {
      const c = s.charCodeAt(i)
      if (c === 0x2c || c === 0x5b || c === 0x5d || c === 0x7b || c === 0x7d) break
      if (c === COLON) {
        if (s.charCodeAt(i + 1) === SPACE) break
        return this.decline() ?? NOTHING // `a:b` in a flow collection: YAML's rules for it differ by context
      }
      if (c === HASH && s.charCodeAt(i - 1) === SPACE) return this.decline() ?? NOTHING // a comment inside a flow collection
    }
    if (i === this.lineEnd) return this.decline() ?? NOTHING // the collection goes on over lines
    let end = i
    while (s.charCodeAt(end - 1) === SPACE) end--
    return [s.slice(p, end), i]
  }

  /** The first offset from `p` that is not a space; the document is declined if the line ends first (a flow collection over lines). */
  private skipSpaces(p: number): number {
    while (p < this.lineEnd && this.s.charCodeAt(p) === SPACE) p++
    if (p === this.lineEnd) this.decline()
    return p
  }
}

interface MapKey {
  name: string
  /** Offset of the key. */
  at: number
  /** Offset right after the key's `:`. */
  after: number
}

/**
 * Whether a plain scalar may start at `p`. The indicators cannot (`-`, `?` and `:` can when a
 * non-space follows, but those are left to `yaml` too).
 */
function canStartPlain(s: string, p: number, lineEnd: number): boolean {
  if (p >= lineEnd) return false
  const c = s.charCodeAt(p)
  if (c < 0x80 && PLAIN_START_FORBIDDEN[c]) return false
  if (c === DASH) {
    // `-1`, `-x`, `--flag`: plain; `-` alone, `- ` and `-,` (in a flow) are indicators; `---` is left to `yaml`.
    if (p + 1 >= lineEnd) return false
    const next = s.charCodeAt(p + 1)
    if (next === DASH) return s.charCodeAt(p + 2) !== DASH
    return next >= 0x80 || PLAIN_AFTER_DASH[next]
  }
  return true
}

const PLAIN_AFTER_DASH: boolean[] = Array.from({ length: 0x80 }, (_, c) => /[0-9A-Za-z._/]/.test(String.fromCharCode(c)))
const PLAIN_START_FORBIDDEN: boolean[] = Array.from({ length: 0x80 }, (_, c) => '?:,[]{}#&*!|>\'"%@`'.includes(String.fromCharCode(c)))

/** One escape sequence of a double-quoted scalar, after its backslash at `p`: the text and how many characters it took; undefined for one left to `yaml`. */
function escape(s: string, p: number, lineEnd: number): [string, number] | undefined {
  if (p >= lineEnd) return undefined // an escaped line break
  const c = s[p]
  const simple = ESCAPES[c]
  if (simple !== undefined) return [simple, 1]
  const length = c === 'x' ? 2 : c === 'u' ? 4 : c === 'U' ? 8 : 0
  if (length === 0) return undefined // an invalid escape: an error in `yaml`
  const hex = s.substr(p + 1, length)
  if (hex.length !== length || !/^[0-9a-fA-F]+$/.test(hex) || p + length >= lineEnd) return undefined
  const code = parseInt(hex, 16)
  if (code > 0x10ffff) return undefined
  return [String.fromCodePoint(code), length + 1]
}

/** `yaml`'s escapes of double-quoted scalars (resolve-flow-scalar.js), less the tab it allows after a backslash. */
const ESCAPES: Record<string, string | undefined> = {
  '0': '\0',
  a: '\x07',
  b: '\b',
  e: '\x1b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  N: '\u0085',
  _: '\u00a0',
  L: '\u2028',
  P: '\u2029',
  ' ': ' ',
  '"': '"',
  '/': '/',
  '\\': '\\'
}

// ---------------------------------------------------------------------------------------------
// Plain scalars, resolved as `yaml`'s YAML 1.1 schema does (yaml/dist/schema/yaml-1.1) less what
// go-yaml keeps as strings (options.ts: timestamps and base-60 numbers): the tags are tried
// in the schema's order, the first whose test matches wins, and anything else is a string. The tests and resolvers below are copies of `yaml`'s; the merge key `<<` only counts as
// a key, and keys are only read here when they are strings.

type PlainTag = 'null' | 'true' | 'false' | 'int-bin' | 'int-oct' | 'int' | 'int-hex' | 'float-nan' | 'float-exp' | 'float' | 'merge' | 'str'

const TAG_TESTS: readonly [PlainTag, RegExp][] = [
  ['null', /^(?:~|[Nn]ull|NULL)?$/],
  ['true', /^(?:Y|y|[Yy]es|YES|[Tt]rue|TRUE|[Oo]n|ON)$/],
  ['false', /^(?:N|n|[Nn]o|NO|[Ff]alse|FALSE|[Oo]ff|OFF)$/],
  ['int-bin', /^[-+]?0b[0-1_]+$/],
  ['int-oct', /^[-+]?0[0-7_]+$/],
  ['int', /^[-+]?[0-9][0-9_]*$/],
  ['int-hex', /^[-+]?0x[0-9a-fA-F_]+$/],
  ['float-nan', /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/],
  ['float-exp', /^[-+]?(?:[0-9][0-9_]*)?(?:\.[0-9_]*)?[eE][-+]?[0-9]+$/],
  ['float', /^[-+]?(?:[0-9][0-9_]*)?\.[0-9_]*$/],
  ['merge', /^<<$/],
]

/** Only a plain scalar starting with one of these can be anything but a string in YAML 1.1. */
const MAYBE_NOT_STRING: boolean[] = Array.from({ length: 0x80 }, (_, c) => '0123456789+-.~<nNtTfFyYoOeE'.includes(String.fromCharCode(c)))

function plainTag(text: string): PlainTag {
  if (text === '') return 'null'
  const c = text.charCodeAt(0)
  if (c >= 0x80 || !MAYBE_NOT_STRING[c]) return 'str'
  for (const [tag, test] of TAG_TESTS) if (test.test(text)) return tag
  return 'str'
}

/** The value of a plain scalar (not a key), as `yaml`'s Document.toJS() gives it. */
export function resolvePlain(text: string): unknown {
  const tag = plainTag(text)
  switch (tag) {
    case 'str':
    case 'merge': // only a key is a merge key
      return text
    case 'null':
      return null
    case 'true':
      return true
    case 'false':
      return false
    case 'int-bin':
      return resolveInt(text, 2, 2)
    case 'int-oct':
      return resolveInt(text, 1, 8)
    case 'int':
      return resolveInt(text, 0, 10)
    case 'int-hex':
      return resolveInt(text, 2, 16)
    case 'float-nan':
      return text.slice(-3).toLowerCase() === 'nan' ? NaN : text[0] === '-' ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY
    case 'float-exp':
    case 'float':
      return parseFloat(text.replace(/_/g, ''))
  }
}

function resolveInt(text: string, offset: number, radix: number): number {
  const sign = text[0]
  if (sign === '-' || sign === '+') offset += 1
  const n = parseInt(text.substring(offset).replace(/_/g, ''), radix)
  return sign === '-' ? -1 * n : n
}
