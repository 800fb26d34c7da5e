// The log-file output: the whole driver log, read again from Ray once the wait is over (the
// WebSocket tail can miss the last lines, ray#48701), written under RUNNER_TEMP for
// actions/upload-artifact.
import { mkdir, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { JobContext, RayView } from './attempt.js'

/** Writes the log and returns its path; undefined when Ray has no log to give (never listed the job, or its head is gone). */
export async function writeLogFile(job: Pick<JobContext, 'prepared' | 'runner'>, view: RayView, dir: string = process.env.RUNNER_TEMP || tmpdir()): Promise<string | undefined> {
  const { prepared, runner } = job
  if (!view.dashboard || !view.confirmed) return undefined
  let log: string
  try {
    log = await view.dashboard.getLogs(prepared.submissionId)
  } catch (error) {
    runner.debug(`log-file: reading the driver log failed: ${(error as Error).message}`)
    return undefined
  }
  const safe = (s: string) => s.replace(/[^A-Za-z0-9._-]/g, '_')
  const path = join(dir, `rayjob-${safe(prepared.namespace)}-${safe(prepared.name)}-${safe(prepared.submissionId)}.log`)
  try {
    await mkdir(dir, { recursive: true })
    await writeFile(path, log)
  } catch (error) {
    runner.warning(`log-file: could not write ${path}: ${(error as Error).message}`)
    return undefined
  }
  runner.info(`The driver log (${log.length} characters) is in ${path} (output log-file)`)
  return path
}
