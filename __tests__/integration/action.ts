// Runs the bundled action (dist/index.js) the way the GitHub runner does: a Node 24 process with
// INPUT_* variables, and GITHUB_OUTPUT / GITHUB_STATE / GITHUB_STEP_SUMMARY files it writes to.
import { spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
/** The action's own bundle, as users run it (keep it current with `npm run bundle`); RAYJOB_ACTION_ENTRY points at a copy. */
export const ACTION = process.env.RAYJOB_ACTION_ENTRY ?? join(ROOT, 'dist', 'index.js')
/** The Node that runs the tests is the Node 24 of node_modules/node (the action's runtime). */
const NODE = process.execPath

export interface ActionResult {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  outputs: Record<string, string>
  state: Record<string, string>
  summary: string
  /** ms epoch when the process ended. */
  endedAt: number
}

export interface RunningAction {
  child: ChildProcess
  /** Files of this step, reused by a post step. */
  files: StepFiles
  done: Promise<ActionResult>
  /** Resolves once the step has written this output (or rejects when the step ends without it). */
  output(name: string): Promise<{ value: string; at: number }>
  stdoutSoFar(): string
}

export interface StepFiles {
  dir: string
  output: string
  state: string
  summary: string
}

export function stepFiles(): StepFiles {
  const dir = mkdtempSync(join(tmpdir(), 'rayjob-action-step-'))
  const files = { dir, output: join(dir, 'output'), state: join(dir, 'state'), summary: join(dir, 'summary') }
  for (const f of [files.output, files.state, files.summary]) writeFileSync(f, '')
  return files
}

/** Reads the runner's `name<<delimiter` file format. */
export function readKeyValueFile(path: string): Record<string, string> {
  const values: Record<string, string> = {}
  const lines = readFileSync(path, 'utf8').split('\n')
  for (let i = 0; i < lines.length; i++) {
    const match = /^([^<]+)<<(.+)$/.exec(lines[i])
    if (!match) continue
    const [, name, delimiter] = match
    const value: string[] = []
    while (++i < lines.length && lines[i] !== delimiter) value.push(lines[i])
    values[name] = value.join('\n')
  }
  return values
}

/**
 * Starts the action. `inputs` use the names of action.yml; `env` adds to the environment
 * (e.g. KUBECONFIG, GITHUB_RUN_ID). `files` lets a post step share the main step's state file.
 */
export function startAction(workspace: string, inputs: Record<string, string>, env: Record<string, string> = {}, files = stepFiles()): RunningAction {
  const inputEnv = Object.fromEntries(Object.entries(inputs).map(([k, v]) => [`INPUT_${k.toUpperCase()}`, v]))
  const child = spawn(NODE, [ACTION], {
    cwd: workspace,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      GITHUB_WORKSPACE: workspace,
      GITHUB_OUTPUT: files.output,
      GITHUB_STATE: files.state,
      GITHUB_STEP_SUMMARY: files.summary,
      ...inputEnv,
      ...env
    },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let stdout = ''
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
  child.stderr!.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
  const done = new Promise<ActionResult>((resolveDone) => {
    child.on('close', (code, signal) =>
      resolveDone({
        code,
        signal,
        stdout,
        outputs: readKeyValueFile(files.output),
        state: readKeyValueFile(files.state),
        summary: readFileSync(files.summary, 'utf8'),
        endedAt: Date.now()
      })
    )
  })
  let ended = false
  void done.then(() => (ended = true))
  const output = async (name: string): Promise<{ value: string; at: number }> => {
    for (;;) {
      const value = readKeyValueFile(files.output)[name]
      if (value !== undefined) return { value, at: Date.now() }
      if (ended) throw new Error(`the step ended without output ${name}:\n${stdout}`)
      await new Promise((r) => setTimeout(r, 50))
    }
  }
  return { child, files, done, output, stdoutSoFar: () => stdout }
}

export function runAction(workspace: string, inputs: Record<string, string>, env: Record<string, string> = {}, files?: StepFiles): Promise<ActionResult> {
  return startAction(workspace, inputs, env, files).done
}

/** The post step (action.yml runs: post), which the runner gives the main step's saved state as STATE_<name>. */
export function runPostStep(workspace: string, inputs: Record<string, string>, env: Record<string, string>, main: StepFiles): Promise<ActionResult> {
  const state = Object.fromEntries(Object.entries(readKeyValueFile(main.state)).map(([name, value]) => [`STATE_${name}`, value]))
  return runAction(workspace, inputs, { ...env, ...state }, stepFiles())
}

/** A workspace holding the given files. */
export function workspaceWith(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'rayjob-action-ws-'))
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content)
  return dir
}

/** Fails with the end of the step's log when the step did not pass, so the reason is in the test output. */
export function expectStepPassed(result: ActionResult): void {
  if (result.code !== 0) throw new Error(`the step failed (exit ${result.code ?? result.signal}); its log ends:\n${result.stdout.slice(-4000)}`)
}
