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
  group<T>(name: string, body: () => Promise<T>): Promise<T>
  /** Appends Markdown to the job summary (no-op where there is none). */
  summary(markdown: string): Promise<void>
  saveState(name: string, value: string): void
  getState(name: string): string
}
