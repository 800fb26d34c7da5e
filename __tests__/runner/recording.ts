// A Runner for unit tests that records everything a step would show, and in what order.
import type { Annotation } from '../../src/report/annotations.js'
import type { Runner } from '../../src/runner/types.js'

/** A Runner that keeps everything the step would show. */
export class RecordingRunner implements Runner {
  infos: string[] = []
  warnings: string[] = []
  debugs: string[] = []
  annotations: Annotation[] = []
  outputs: Record<string, string | number> = {}
  failures: string[] = []
  summaries: string[] = []
  masked: string[] = []
  /** Every call in order, by kind, to see what came first. */
  log: string[] = []
  info(message: string): void {
    this.infos.push(message)
    this.log.push(`info ${message}`)
  }
  warning(message: string): void {
    this.warnings.push(message)
    this.log.push(`warning ${message}`)
  }
  debug(message: string): void {
    this.debugs.push(message)
  }
  annotate(annotation: Annotation): void {
    this.annotations.push(annotation)
  }
  setOutput(name: string, value: string | number): void {
    this.outputs[name] = value
  }
  fail(message: string): void {
    this.failures.push(message)
    this.log.push(`fail ${message}`)
  }
  mask(secret: string): void {
    this.masked.push(secret)
    this.log.push('mask')
  }
  startGroup(): void {}
  endGroup(): void {}
  untrusted(lines: string[]): void {
    this.infos.push(...lines)
  }
  async summary(markdown: string): Promise<void> {
    this.summaries.push(markdown)
  }
  saveState(): void {}
  getState(): string {
    return ''
  }
}
