// The job's driver log as the step shows it: printed line by line as it comes, each part once
// (Ray's tail replays from the start on every connection), and its last lines kept for the error
// message and the job summary.
import type { DashboardClient } from '../dashboard/client.js'
import { tailLogs } from '../dashboard/logs-tail.js'
import { backoffDelay, sleep } from '../clients/clock.js'
import type { Clock } from '../clients/clock.js'

export class DriverLog {
  /** Characters of the log already passed on. */
  private printed = 0
  private partial = ''
  private readonly last: string[] = []

  constructor(
    /** Prints a batch of complete lines (one per piece of log received). */
    private readonly printLines: (lines: string[]) => void,
    private readonly keep = 30
  ) {}

  /** Takes log text that starts at character `offset` of the whole log; what was printed before is skipped. */
  feed(text: string, offset: number): void {
    const end = offset + text.length
    if (end <= this.printed) return
    const fresh = text.slice(Math.max(0, this.printed - offset))
    this.printed = end
    const lines = (this.partial + fresh).split('\n')
    this.partial = lines.pop() ?? ''
    this.emit(lines.map((line) => line.replace(/\r$/, '')))
  }

  /** Prints a last line that had no newline yet. */
  finish(): void {
    if (this.partial) this.emit([this.partial])
    this.partial = ''
  }

  get lastLines(): string[] {
    return [...this.last]
  }

  get length(): number {
    return this.printed
  }

  private emit(lines: string[]): void {
    if (lines.length === 0) return
    this.printLines(lines)
    // One WebSocket frame can hold hundreds of thousands of lines: never spread them as arguments.
    for (const line of lines.length > this.keep ? lines.slice(-this.keep) : lines) this.last.push(line)
    if (this.last.length > this.keep) this.last.splice(0, this.last.length - this.keep)
  }
}

const POLL_EVERY_MS = 15_000
/** A dropped log stream is opened again after 2 s, 5 s, 12.5 s, then every 30 s. */
const RETRY = { first: 2000, grow: 2.5, max: 30_000 }

/**
 * Streams the driver log into `log` until the job is over or `signal` aborts: the WebSocket tail,
 * reconnected after a drop; where the tail cannot be opened at all (a proxy without WebSocket
 * support), reading GET .../logs every 15 seconds instead.
 */
export async function followLogs(client: DashboardClient, submissionId: string, log: DriverLog, clock: Clock, signal: AbortSignal, onProblem: (m: string) => void): Promise<void> {
  let failures = 0
  while (!signal.aborted) {
    let received = 0
    const end = await tailLogs(client, submissionId, (text) => {
      log.feed(text, received)
      received += text.length
    }, signal).catch((error: Error) => ({ complete: false, problem: error.message }))
    if (end.complete || signal.aborted) return
    failures = received > 0 ? 1 : failures + 1
    onProblem(`the driver log stream ended: ${end.problem}`)
    const refused = received === 0 && /^HTTP (400|404|405|426|500|501|502)/.test(end.problem ?? '')
    if (refused && failures >= 2) {
      onProblem('following the driver log by reading it every 15 s instead')
      return pollLogs(client, submissionId, log, clock, signal, onProblem)
    }
    await sleep(clock, backoffDelay(RETRY, failures - 1), signal)
  }
}

async function pollLogs(client: DashboardClient, submissionId: string, log: DriverLog, clock: Clock, signal: AbortSignal, onProblem: (m: string) => void): Promise<void> {
  while (!signal.aborted) {
    await readWholeLog(client, submissionId, log, onProblem)
    await sleep(clock, POLL_EVERY_MS, signal)
  }
}

/** Reads the whole log once and passes on what was not printed yet (used at the end to catch the last lines). */
export async function readWholeLog(client: DashboardClient, submissionId: string, log: DriverLog, onProblem: (m: string) => void): Promise<void> {
  try {
    log.feed(await client.getLogs(submissionId), 0)
  } catch (error) {
    onProblem(`reading the driver log failed: ${(error as Error).message}`)
  }
}
