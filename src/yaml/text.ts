// Line breaks and positions in YAML text.

/** 1-based line and column. */
export interface Position {
  line: number
  column: number
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

/** Line and column of `offset` in text whose character `from` is on line `line` (for an offset a few lines on: no index). */
export function positionAfter(text: string, from: number, offset: number, line: number): Position {
  let lineStart = from
  for (let nl = text.indexOf('\n', from); nl !== -1 && nl < offset; nl = text.indexOf('\n', nl + 1)) {
    line++
    lineStart = nl + 1
  }
  return { line, column: offset - lineStart + 1 }
}

/** Line and column of an offset. */
export type LineIndex = (offset: number) => Position

/** Positions in text[from, to), whose first character is on line `line`. */
export function lineIndex(text: string, from: number, to: number, line: number): LineIndex {
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
