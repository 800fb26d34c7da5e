// The workflow's cancellation as the runner delivers it to the step's process. Submit and wait
// install it only once there is a RayJob to settle: before that the default (the process ends at
// once) is the right answer to a cancel, and nothing is left behind.
/** The runner's cancellation: SIGINT first, then SIGTERM (GitHub's runner sends both, then kills). */
export function cancelOnSignals(): { signal: AbortSignal; release: () => void } {
  const controller = new AbortController()
  const abort = (): void => controller.abort()
  process.once('SIGINT', abort)
  process.once('SIGTERM', abort)
  return {
    signal: controller.signal,
    release: () => {
      process.off('SIGINT', abort)
      process.off('SIGTERM', abort)
    }
  }
}
