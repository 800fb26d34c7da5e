// One cheap look at a file's text before any YAML reader parses it: how deep it nests, and how
// many nodes each document would make. `yaml` reads nesting recursively (it runs out of stack near
// a thousand levels, after seconds of work and gigabytes on a large file) and keeps a few hundred
// bytes per node, so a file that would break either limit is refused here, in one linear pass.
// Nothing in this file parses YAML: it looks at lines, indentation, the `- `, `? ` and `: `
// indicators that open a block collection on a line, and the brackets of flow collections. Every
// estimate errs high only for text no manifest has.

import type { Position } from './text.js'

/** 1-based line and column. */
export type Place = Position

/** Brackets (`[`, `{`) nested deeper than this are refused: `yaml` would recurse once per level. */
export const MAX_FLOW_NESTING = 100
/**
 * Block collections nested deeper than this (as counted here: one level per indentation column
 * and per `- `/`? `/`: ` on a line) are refused. A sequence at its key's own indentation shares
 * the key's column, so `yaml` may nest up to twice this, plus MAX_FLOW_NESTING: far below where it
 * runs out of stack, far above any manifest (a RayJob nests about 15 deep).
 */
export const MAX_BLOCK_NESTING = 100
/**
 * A document the fast reader leaves to `yaml` with more entries than this (lines with content,
 * `- ` items, commas and brackets: at least a third of the nodes `yaml` makes) is not given to
 * `yaml`: about 200 MB and seconds of work. The RayJob CRD, a large document that the fast reader
 * leaves to `yaml`, has 27,000.
 */
export const MAX_YAML_ENTRIES = 50_000

export interface TooDeep {
  what: 'flow' | 'block'
  /** How deep it nests at its deepest. */
  depth: number
  /** Where it first passes the limit. */
  at: Place
  /** Offset of that place. */
  offset: number
}

export interface Bulky {
  /** Offset of the document's first content, and its place. */
  from: number
  at: Place
  entries: number
}

export interface Shape {
  /** The first place where nesting passes its limit (MAX_FLOW_NESTING or MAX_BLOCK_NESTING). */
  tooDeep?: TooDeep
  /** The documents with more than MAX_YAML_ENTRIES entries, in order. */
  bulky: Bulky[]
}

const SPACE = 0x20
const TAB = 0x09
const NEWLINE = 0x0a
const CR = 0x0d
const HASH = 0x23

/**
 * The shape of YAML text whose line breaks are `\n` (or `\r\n`). Lines inside a block scalar
 * (`key: |` and the lines indented below it) are text, not structure: they are skipped. A `---` or
 * `...` line at column 0 starts a new document, as in YAML (even inside a block scalar).
 */
export function scanShape(text: string): Shape {
  const n = text.length
  const bulky: Bulky[] = []
  // Flow nesting: brackets, counted over the whole text (quotes are not considered: an
  // over-estimate only for text with unbalanced brackets inside quoted strings).
  let flow = 0
  let flowDeepest = 0
  let flowPassed: { offset: number; at: Place } | undefined
  // Block nesting: the columns of the open block levels, innermost last.
  const columns: number[] = []
  let blockDeepest = 0
  let blockPassed: { offset: number; at: Place } | undefined
  // Inside a block scalar: lines indented more than this are its text (-2: not in one).
  let scalarParent = -2
  // The current document: where its content starts (-1: none yet), and its entries.
  let docFrom = -1
  let docAt: Place = { line: 1, column: 1 }
  let entries = 0
  const endDocument = (): void => {
    if (entries > MAX_YAML_ENTRIES) bulky.push({ from: docFrom, at: docAt, entries })
    docFrom = -1
    entries = 0
  }

  let line = 1
  for (let p = 0; p < n; line++) {
    let e = text.indexOf('\n', p)
    if (e === -1) e = n
    let end = e
    if (end > p && text.charCodeAt(end - 1) === CR) end--
    const next = e + 1
    let q = p
    while (q < end && text.charCodeAt(q) === SPACE) q++
    const indent = q - p
    let c = q
    while (c < end && (text.charCodeAt(c) === SPACE || text.charCodeAt(c) === TAB)) c++
    if (c === end || text.charCodeAt(c) === HASH) {
      p = next // blank, or only a comment
      continue
    }
    if (indent === 0 && (isMarker(text, p, end, 0x2d) || isMarker(text, p, end, 0x2e))) {
      endDocument()
      columns.length = 0
      scalarParent = -2
      if (text.charCodeAt(p) === 0x2e) {
        p = next
        continue
      }
      // What follows `---` on its line (a comment, a tag, a scalar, a flow collection) is read below, at its column.
      c = p + 3
      while (c < end && (text.charCodeAt(c) === SPACE || text.charCodeAt(c) === TAB)) c++
      if (c === end || text.charCodeAt(c) === HASH) {
        p = next
        continue
      }
    } else if (scalarParent > -2) {
      if (indent > scalarParent) {
        p = next // a line of a block scalar
        continue
      }
      scalarParent = -2
    }
    if (docFrom === -1) {
      docFrom = c
      docAt = { line, column: c - p + 1 }
    }
    const flowAtStart = flow
    // The block levels this line opens: its own column, then one per indicator that starts a
    // block collection on the line (`- - x`, `? a`, `- key: value` keeps its key's column).
    let column = c - p
    while (columns.length > 0 && columns[columns.length - 1] >= column) columns.pop()
    for (;;) {
      columns.push(column)
      entries++
      if (columns.length > blockDeepest) {
        blockDeepest = columns.length
        if (blockDeepest === MAX_BLOCK_NESTING + 1) blockPassed = { offset: c, at: { line, column: column + 1 } }
      }
      const ch = text.charCodeAt(c)
      if (ch !== 0x2d && ch !== 0x3f && ch !== 0x3a) break // `-`, `?`, `:`
      const after = text.charCodeAt(c + 1)
      if (c + 1 < end && after !== SPACE && after !== TAB) break
      c++
      while (c < end && (text.charCodeAt(c) === SPACE || text.charCodeAt(c) === TAB)) c++
      if (c === end || text.charCodeAt(c) === HASH) break
      column = c - p
    }
    // The rest of the line: brackets and commas, and whether it opens a block scalar.
    let blockHeader = false
    for (let i = c; i < end; i++) {
      const ch = text.charCodeAt(i)
      const kind = ch < 0x80 ? CHARACTER[ch] : 0
      if (kind === 0) continue
      if (kind === OPEN) {
        entries++
        if (++flow > flowDeepest) {
          flowDeepest = flow
          if (flow === MAX_FLOW_NESTING + 1) flowPassed = { offset: i, at: { line, column: i - p + 1 } }
        }
      } else if (kind === CLOSE) {
        if (flow > 0) flow--
      } else if (kind === COMMA) entries++
      else blockHeader = true // `|` or `>`
    }
    if (blockHeader && flowAtStart === 0 && flow === 0) {
      const ch = text.charCodeAt(c)
      if ((ch === 0x7c || ch === 0x3e) && BLOCK_HEADER.test(text.slice(c, end))) {
        // `- |`: the text belongs to the item, whose sequence is the level before.
        scalarParent = columns.length > 1 ? columns[columns.length - 2] : -1
      } else if (KEY_THEN_BLOCK_HEADER.test(text.slice(c, end))) {
        scalarParent = columns[columns.length - 1]
      }
    }
    p = next
  }
  endDocument()

  let tooDeep: TooDeep | undefined
  if (flowPassed && (!blockPassed || flowPassed.offset < blockPassed.offset)) tooDeep = { what: 'flow', depth: flowDeepest, ...flowPassed }
  else if (blockPassed) tooDeep = { what: 'block', depth: blockDeepest, ...blockPassed }
  return { tooDeep, bulky }
}

const OPEN = 1
const CLOSE = 2
const COMMA = 3
const BLOCK_INDICATOR = 4
/** What each ASCII character is to the scan of a line's rest (0: nothing). */
const CHARACTER = new Uint8Array(0x80)
CHARACTER[0x5b] = CHARACTER[0x7b] = OPEN
CHARACTER[0x5d] = CHARACTER[0x7d] = CLOSE
CHARACTER[0x2c] = COMMA
CHARACTER[0x7c] = CHARACTER[0x3e] = BLOCK_INDICATOR

/** A block scalar header (`|`, `>-`, `|2+`, ...) and nothing but a comment after it. */
const BLOCK_HEADER = /^[|>][0-9+-]*[ \t]*(?:#.*)?$/
/** A mapping value that is a block scalar: `key: |` (the key plain or quoted). */
const KEY_THEN_BLOCK_HEADER = /:[ \t]+[|>][0-9+-]*[ \t]*(?:[ \t]#.*)?$/

/** `---` (marker `-`) or `...` (marker `.`) at `p`, then white space or the line's end. */
function isMarker(text: string, p: number, end: number, marker: number): boolean {
  if (p + 3 > end || text.charCodeAt(p) !== marker || text.charCodeAt(p + 1) !== marker || text.charCodeAt(p + 2) !== marker) return false
  const after = text.charCodeAt(p + 3)
  return p + 3 === end || after === SPACE || after === TAB || after === NEWLINE
}
