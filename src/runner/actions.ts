// The Runner on GitHub Actions, over @actions/core.
import * as core from '@actions/core'
import type { Annotation } from '../report/annotations.js'
import type { Runner } from './types.js'

export const actionsRunner: Runner = {
  info: (message) => core.info(message),
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
  group: (name, body) => core.group(name, body),
  summary: async (markdown) => {
    // Without GITHUB_STEP_SUMMARY (a local run) there is no summary to write.
    if (!process.env.GITHUB_STEP_SUMMARY) return
    await core.summary.addRaw(markdown, true).write()
  },
  saveState: (name, value) => core.saveState(name, value),
  getState: (name) => core.getState(name)
}

/** Reads an action input the way @actions/core does. */
export const readActionInput = (name: string): string => core.getInput(name)
