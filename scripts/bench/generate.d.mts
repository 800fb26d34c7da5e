// Types of generate.mjs, for the TypeScript tests that use the bench's documents.
export interface Generated {
  files: string[]
  documents: number
  faulty: number
  bytes: number
  seeds: string[]
}

export function generate(dir: string, options?: { documents?: number; perFile?: number; seed?: number }): Generated
