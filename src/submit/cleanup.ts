// Placeholder until the submit capability lands (issue 4).
import type { Runner } from '../runner/types.js'

export async function cleanupAfterCancel(_runner: Runner): Promise<void> {}
