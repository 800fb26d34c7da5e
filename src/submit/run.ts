// Placeholder until the submit capability lands (issue 4).
import type { Runner } from '../runner/types.js'
import type { Settings } from '../settings.js'

export async function runSubmit(_settings: Settings, _runner: Runner): Promise<void> {
  throw new Error('command: submit is not available in this build yet')
}
