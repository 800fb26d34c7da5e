// The Runner on GitHub Actions: @actions/core for inputs, outputs, state, masks, groups,
// annotations and the job summary. What @actions/core leaves to the caller is added here: a log
// line holds data (file names, namespaces, a RayJob's status message, a driver's own log), and none
// of it may be read by the runner as a workflow command (issue 9, defect 8).
// Only the action loads this file: the command line (src/cli.ts) runs on src/runner/console.ts.
import * as core from '@actions/core'
import { randomUUID } from 'node:crypto'
import { EOL } from 'node:os'
import type { Annotation } from '../report/annotations.js'
import type { Runner } from './types.js'

/**
 * Where a line of the step's stdout ends for the runner (.NET StreamReader.ReadLine: \r\n, \r or \n),
 * and, to be safe, the Unicode line breaks (U+0085, U+2028, U+2029) too.
 */
const LINE_BREAK = /\r\n|[\r\n\u0085\u2028\u2029]/

/** The lines the runner would read in `text`. */
const logLines = (text: string): string[] => text.split(LINE_BREAK)

/**
 * Whether the runner would take `line` for a workflow command: it starts with `::` once trimmed
 * (.NET's Trim; \s here covers more white space than it, which only errs on the safe side).
 */
// eslint-disable-next-line no-control-regex -- U+001C to U+001F: white space to some readers, so skipped too
const looksLikeCommand = (line: string): boolean => /^[\s\u0085\u001c-\u001f]*::/.test(line)

/**
 * Prints lines so that the runner takes none of them as a command (the `stop-commands` block
 * @actions/core's documentation describes): the runner ignores commands until it reads the token
 * back, and the token is new for every block, so text printed before cannot end it early.
 */
function inert(lines: string[]): void {
  const token = randomUUID()
  core.info(`::stop-commands::${token}`)
  core.info(lines.join(EOL))
  core.info(`::${token}::`)
}

/**
 * The job summary is one buffer in @actions/core: writes are queued so that two summaries written
 * at once cannot append each other's text twice.
 */
let summaryWrites: Promise<unknown> = Promise.resolve()

export const actionsRunner: Runner = {
  // Every line the runner would read in the message is printed as a line of its own (a lone \r
  // too), and should any of them look like a command, all are printed where commands are off.
  info: (message) => {
    const lines = logLines(message)
    if (lines.some(looksLikeCommand)) inert(lines)
    else core.info(lines.join(EOL))
  },
  warning: (message) => core.warning(message),
  debug: (message) => core.debug(message),
  annotate: (a: Annotation) => {
    const properties = { title: a.title, file: a.file, startLine: a.startLine, startColumn: a.startColumn }
    if (a.level === 'error') core.error(a.message, properties)
    else if (a.level === 'warning') core.warning(a.message, properties)
    else core.notice(a.message, properties)
  },
  setOutput: (name, value) => core.setOutput(name, String(value)),
  fail: (message) => core.setFailed(message),
  mask: (secret) => {
    if (secret) core.setSecret(secret)
  },
  startGroup: (name) => core.startGroup(name),
  endGroup: () => core.endGroup(),
  untrusted: (lines) => {
    if (lines.length === 0) return
    inert(lines.flatMap(logLines))
  },
  summary: (markdown) => {
    // Without GITHUB_STEP_SUMMARY (a local run) there is no summary to write.
    if (!process.env.GITHUB_STEP_SUMMARY) return Promise.resolve()
    const write = summaryWrites.then(() => core.summary.addRaw(markdown, true).write())
    summaryWrites = write.catch(() => undefined)
    return write.then(() => undefined)
  },
  saveState: (name, value) => core.saveState(name, value),
  getState: (name) => core.getState(name)
}

/** Reads an action input: INPUT_<NAME>, trimmed. */
export const readActionInput = (name: string): string => core.getInput(name)
