// The Runner on a terminal: the command line and local runs. Output goes to stderr so that
// stdout carries only the chosen --format.
import type { Runner } from './types.js'

export function consoleRunner(stream: NodeJS.WriteStream = process.stderr): Runner {
  const secrets: string[] = []
  const hide = (text: string): string => secrets.reduce((t, s) => t.split(s).join('***'), text)
  const write = (text: string): void => {
    stream.write(`${hide(text)}\n`)
  }
  const state = new Map<string, string>()
  return {
    info: write,
    warning: (m) => write(`warning: ${m}`),
    debug: (m) => {
      if (process.env.RUNNER_DEBUG === '1') write(`debug: ${m}`)
    },
    annotate: (a) => write(`${a.file}:${a.startLine}:${a.startColumn} ${a.level} ${a.title}: ${a.message}`),
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
    untrusted: (lines) => lines.forEach(write),
    summary: async () => {},
    saveState: (name, value) => state.set(name, value),
    getState: (name) => state.get(name) ?? ''
  }
}
