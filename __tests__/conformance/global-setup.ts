// Builds KubeRay's own validation code into checkers (test/conformance/build.sh) before the
// conformance tests: cached binaries are reused, missing or outdated ones are built. A version that
// cannot be built does not stop the run here: build.sh records why (status file and build log), and
// the test of that release fails with that error.
import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'

interface ProjectConfig {
  rootDir: string
}

function runBuild(script: string, versions: readonly string[]): Promise<number | null> {
  return new Promise((resolve) => {
    const child = spawn('bash', [script, ...versions], { stdio: ['ignore', 'pipe', 'pipe'] })
    const relay = (chunk: Buffer): void => {
      process.stderr.write(chunk.toString().replace(/^(?=.)/gm, '[conformance] '))
    }
    child.stdout.on('data', relay)
    child.stderr.on('data', relay)
    child.on('error', (err) => {
      process.stderr.write(`[conformance] could not run bash ${script}: ${err.message}\n`)
      resolve(null)
    })
    child.on('close', resolve)
  })
}

export default async function globalSetup(_globalConfig: unknown, projectConfig: ProjectConfig): Promise<void> {
  const dir = join(projectConfig.rootDir, 'test', 'conformance')
  const script = join(dir, 'build.sh')
  // Plain Node loads this file (no Jest module mapping), so it reads the version list itself.
  const { required, optional } = JSON.parse(readFileSync(join(dir, 'versions.json'), 'utf8')) as { required: string[]; optional: string[] }
  // Older releases only on request: each build takes minutes on a cold Go cache.
  const versions = process.env.RAYJOB_CONFORMANCE_OLDER === '1' ? [...required, ...optional] : required
  process.stderr.write(`\n[conformance] building KubeRay's validators: bash test/conformance/build.sh ${versions.join(' ')}\n`)
  const code = await runBuild(script, versions)
  if (code !== 0) process.stderr.write(`[conformance] build.sh exited with ${code}: the releases it could not build fail their tests\n`)
}
