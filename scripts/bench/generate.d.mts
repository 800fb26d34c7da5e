// Types of generate.mjs, for the TypeScript tests that use the bench's documents.
export interface Generated {
  files: string[]
  documents: number
  faulty: number
  bytes: number
  seeds: string[]
}

export function generate(dir: string, options?: { documents?: number; perFile?: number; seed?: number }): Generated

/** A reproducible pseudo-random number generator (mulberry32): numbers in [0, 1). */
export function random(seed: number): () => number
