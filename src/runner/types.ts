// The one seam between the action's logic and where it runs: GitHub Actions (actions.ts) or a
// terminal (console.ts, for the command line and local runs).
import type { Annotation } from '../report/annotations.js'

export interface Runner {
  info(message: string): void
  warning(message: string): void
  debug(message: string): void
  /** A file/line annotation (shown in "Files changed"); on a terminal, a plain line. */
  annotate(annotation: Annotation): void
  setOutput(name: string, value: string | number): void
  /** Marks the step failed with this message; does not exit. */
  fail(message: string): void
  /** Hides a value in every later log line. */
  mask(secret: string): void
  /** Opens a collapsible group of log lines; endGroup closes it (groups do not nest). */
  startGroup(name: string): void
  endGroup(): void
  /**
   * Prints text the action did not write (a job's own log), so that none of it is taken as a
   * workflow command: a driver printing `::add-mask::` or `::error::` must not steer the step.
   */
  untrusted(lines: string[]): void
  /** Appends Markdown to the job summary (no-op where there is none). */
  summary(markdown: string): Promise<void>
  saveState(name: string, value: string): void
  getState(name: string): string
}
