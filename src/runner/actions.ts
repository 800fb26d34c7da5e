// The Runner on GitHub Actions: the runner's workflow commands and environment files.
import { randomUUID } from 'node:crypto'
import { appendFileSync } from 'node:fs'
import { EOL } from 'node:os'
import type { Annotation } from '../report/annotations.js'
import type { Runner } from './types.js'
import { inputVariable, keyValueBlock, logLines, looksLikeCommand, workflowCommand } from './workflow-commands.js'

const print = (line: string): void => {
  process.stdout.write(line + EOL)
}
const command = (name: string, properties: Record<string, string | number | undefined>, message: string): void => print(workflowCommand(name, properties, message))

/**
 * Prints lines so that the runner takes none of them as a command: it ignores commands until it
 * reads the token back, and the token is new for every block, so text printed before cannot end it early.
 */
function inert(lines: string[]): void {
  const token = randomUUID()
  command('stop-commands', {}, token)
  for (const line of lines) print(line)
  print(`::${token}::`)
}

/** Appends to the file the runner names in `variable`, or falls back to the stdout command older runners read. */
function fileCommand(variable: string, legacy: string, name: string, value: string): void {
  const file = process.env[variable]
  if (file) return appendFileSync(file, keyValueBlock(name, value), { encoding: 'utf8' })
  if (legacy === 'set-output') process.stdout.write(EOL) // as @actions/core does: the command must start a line
  command(legacy, { name }, value)
}

export const actionsRunner: Runner = {
  // A log line the action writes holds data too (file names, namespaces, a RayJob's status message):
  // every line the runner would read in it is printed as text, a lone \r as a new line, and should
  // any of them look like a command, all are printed where commands are off (issue 9, defect 8).
  info: (message) => {
    const lines = logLines(message)
    if (lines.some(looksLikeCommand)) inert(lines)
    else print(lines.join(EOL))
  },
  warning: (message) => command('warning', {}, message),
  debug: (message) => command('debug', {}, message),
  annotate: (a: Annotation) => {
    const properties = { title: a.title, file: a.file, line: a.startLine, col: a.startColumn }
    command(a.level === 'note' ? 'notice' : a.level, properties, a.message)
  },
  setOutput: (name, value) => fileCommand('GITHUB_OUTPUT', 'set-output', name, String(value)),
  fail: (message) => {
    process.exitCode = 1
    command('error', {}, message)
  },
  mask: (secret) => {
    if (secret) command('add-mask', {}, secret)
  },
  startGroup: (name) => command('group', {}, name),
  endGroup: () => command('endgroup', {}, ''),
  untrusted: (lines) => {
    if (lines.length === 0) return
    inert(lines.flatMap(logLines))
  },
  summary: async (markdown) => {
    // Without GITHUB_STEP_SUMMARY (a local run) there is no summary to write.
    const file = process.env.GITHUB_STEP_SUMMARY
    if (file) appendFileSync(file, markdown + EOL, { encoding: 'utf8' })
  },
  saveState: (name, value) => fileCommand('GITHUB_STATE', 'save-state', name, value),
  getState: (name) => process.env[`STATE_${name}`] ?? ''
}

/** Reads an action input the way @actions/core does: INPUT_<NAME>, trimmed. */
export const readActionInput = (name: string): string => (process.env[inputVariable(name)] ?? '').trim()
