// The step's log while a job runs. State changes stay at the top level, where someone scanning the
// step sees them; the driver's own log goes into collapsible groups between them ("Driver log",
// then "Driver log (continued)" after a state line), printed so that the runner takes none of it
// as a workflow command.
import type { Runner } from '../runner/types.js'

export interface StepLog extends Runner {
  /** Lines of the driver log, in a group titled `title` (opened if none is). */
  driverLines(title: string, lines: string[]): void
  /** Closes the driver-log group, if one is open. */
  closeGroup(): void
}

/** `runner`, with every line of the action's own closing the open driver-log group first. */
export function stepLog(runner: Runner): StepLog {
  let open = false
  /** Titles a group was opened under: the next group of the same log is "(continued)". */
  const opened = new Set<string>()
  const closeGroup = (): void => {
    if (open) runner.endGroup()
    open = false
  }
  const outside =
    <A extends unknown[]>(print: (...args: A) => void) =>
    (...args: A): void => {
      closeGroup()
      print(...args)
    }
  return {
    info: outside((m: string) => runner.info(m)),
    warning: outside((m: string) => runner.warning(m)),
    fail: outside((m: string) => runner.fail(m)),
    annotate: outside((a) => runner.annotate(a)),
    startGroup: outside((name: string) => {
      runner.startGroup(name)
      open = true
    }),
    endGroup: closeGroup,
    untrusted: (lines) => runner.untrusted(lines),
    debug: (m) => runner.debug(m),
    setOutput: (name, value) => runner.setOutput(name, value),
    mask: (secret) => runner.mask(secret),
    summary: (markdown) => runner.summary(markdown),
    saveState: (name, value) => runner.saveState(name, value),
    getState: (name) => runner.getState(name),
    driverLines: (title, lines) => {
      if (lines.length === 0) return
      if (!open) {
        runner.startGroup(opened.has(title) ? `${title} (continued)` : title)
        opened.add(title)
        open = true
      }
      runner.untrusted(lines)
    },
    closeGroup
  }
}
