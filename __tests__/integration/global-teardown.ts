// Stops the test stack at the end of the integration run if this run started it (global-setup.ts
// sets RAYJOB_STACK_STARTED_BY_THIS_RUN). A stack that was already running is left alone;
// RAYJOB_STACK_KEEP=1 keeps the one this run started, e.g. to read its logs in $RAYJOB_STACK_DIR/logs.
// Self-contained on purpose: Jest loads global hooks without the project's moduleNameMapper, so a
// relative `./x.js` import of a .ts file would not resolve here.
import { spawn } from 'node:child_process'
import { join } from 'node:path'

interface ProjectConfig {
  rootDir: string
}

export default async function globalTeardown(_globalConfig: unknown, projectConfig: ProjectConfig): Promise<void> {
  if (process.env.RAYJOB_STACK_STARTED_BY_THIS_RUN !== '1') return
  if (process.env.RAYJOB_STACK_KEEP === '1') {
    process.stderr.write('\n[integration] RAYJOB_STACK_KEEP=1: leaving the test stack running (stop it: npm run stack:down)\n')
    return
  }
  process.stderr.write('\n[integration] stopping the test stack this run started: bash test/stack/down.sh\n')
  const script = join(projectConfig.rootDir, 'test', 'stack', 'down.sh')
  const { code, tail } = await new Promise<{ code: number | null; tail: string }>((resolve, reject) => {
    const child = spawn('bash', [script], { stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    const keep = (chunk: Buffer): void => {
      out = (out + chunk.toString()).slice(-10_000)
      process.stderr.write(chunk)
    }
    child.stdout.on('data', keep)
    child.stderr.on('data', keep)
    child.on('error', (err) => reject(new Error(`could not run bash ${script}: ${err.message}`)))
    child.on('close', (c) => resolve({ code: c, tail: out }))
  })
  if (code !== 0) throw new Error(`bash ${script} exited with ${code}; the stack may still be running. Output:\n${tail}`)
}
