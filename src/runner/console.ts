// The Runner on a terminal: the command line and local runs. Output goes to stderr so that
// stdout carries only the chosen --format. Data in a line (a file name, a namespace, a RayJob's
// status, a job's own log) is shown with its control characters escaped, so that it cannot add a
// line of its own or move the cursor; the line breaks the action means (\n) stay line breaks.
import { escapeControl } from '../report/text.js'
import type { Runner } from './types.js'

/** Every line of `text` escaped, its \n and \r\n kept as line breaks. */
const escapeLines = (text: string): string => text.split(/\r?\n/).map(escapeControl).join('\n')

export function consoleRunner(stream: NodeJS.WriteStream = process.stderr): Runner {
  const secrets: string[] = []
  const hide = (text: string): string => secrets.reduce((t, s) => t.split(s).join('***'), text)
  /** Writes `text` as it is: the caller escaped it. */
  const writeEscaped = (text: string): void => {
    stream.write(`${hide(text)}\n`)
  }
  const write = (text: string): void => writeEscaped(escapeLines(hide(text)))
  const state = new Map<string, string>()
  return {
    info: write,
    warning: (m) => write(`warning: ${m}`),
    debug: (m) => {
      if (process.env.RUNNER_DEBUG === '1') write(`debug: ${m}`)
    },
    annotate: (a) => writeEscaped(`${escapeControl(hide(a.file))}:${a.startLine}:${a.startColumn} ${a.level} ${escapeControl(hide(a.title))}: ${escapeLines(hide(a.message))}`),
    setOutput: (name, value) => write(`${name}=${value}`),
    fail: (m) => {
      write(`error: ${m}`)
      process.exitCode = 1
    },
    mask: (secret) => {
      if (secret) secrets.push(secret)
    },
    startGroup: (name) => write(`── ${name}`),
    endGroup: () => {},
    untrusted: (lines) => lines.forEach((line) => writeEscaped(escapeControl(hide(line)))),
    summary: async () => {},
    saveState: (name, value) => state.set(name, value),
    getState: (name) => state.get(name) ?? ''
  }
}
