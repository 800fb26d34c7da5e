// Makes sure the real test stack (test/stack/, see test/stack/README.md) is up before the
// integration tests run. A stack that is already up and healthy (e.g. one a developer started with
// `npm run stack:up`) is used as is and left running; otherwise test/stack/up.sh starts it (and
// builds any part missing from the cache), and global-teardown.ts stops it again at the end unless
// RAYJOB_STACK_KEEP=1. Needs root (network namespaces); see test/stack/README.md.
import { spawn } from 'node:child_process'
import { join } from 'node:path'

interface ScriptResult {
  code: number | null
  signal: NodeJS.Signals | null
  /** The last lines of the script's output, for error messages. */
  tail: string
}

/** Runs `bash test/stack/<script> args…`, streaming its output to stderr unless quiet. */
function runStackScript(root: string, script: string, args: string[], opts: { quiet?: boolean } = {}): Promise<ScriptResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [join(root, 'test', 'stack', script), ...args], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe']
    })
    let out = ''
    const keep = (chunk: Buffer): void => {
      out = (out + chunk.toString()).slice(-20_000)
      if (!opts.quiet) process.stderr.write(chunk)
    }
    child.stdout.on('data', keep)
    child.stderr.on('data', keep)
    child.on('error', (err) => reject(new Error(`could not run bash test/stack/${script}: ${err.message}`)))
    child.on('close', (code, signal) => resolve({ code, signal, tail: out.split('\n').slice(-40).join('\n') }))
  })
}

interface ProjectConfig {
  rootDir: string
}

export default async function globalSetup(_globalConfig: unknown, projectConfig: ProjectConfig): Promise<void> {
  const root = projectConfig.rootDir
  const wasRunning = (await runStackScript(root, 'up.sh', ['--status'], { quiet: true })).code === 0
  process.stderr.write(
    wasRunning
      ? '\n[integration] using the running test stack (left running afterwards)\n'
      : '\n[integration] starting the test stack: bash test/stack/up.sh\n'
  )
  // Run up.sh in both cases: on a running stack it only restarts the stand-in if its source changed.
  // The second Ray head, with token authentication, is for access.test.ts.
  const up = await runStackScript(root, 'up.sh', ['--with-token-head'], { quiet: wasRunning })
  if (up.code !== 0) {
    throw new Error(
      `bash test/stack/up.sh exited with ${up.code ?? up.signal}; the integration tests need the real stack ` +
        `(see test/stack/README.md). Last output:\n${up.tail}`
    )
  }
  // Read by global-teardown.ts (same process): stop what this run started, nothing else.
  process.env.RAYJOB_STACK_STARTED_BY_THIS_RUN = wasRunning ? '0' : '1'
}
