// The `yaml` library, loaded when a reader first needs it. Most manifests are read by the fast
// reader alone (fast.ts), and a lint of clean files never needs `yaml`: the bundles leave it out
// of their start (about a third of a one-file lint's start-up time) and load it, as a chunk of its
// own, the first time a file needs it. The asynchronous readers (readDocuments) load it
// themselves; synchronous code that may need it runs after `await loadYaml()`.
import type * as Yaml from 'yaml'

let library: typeof Yaml | undefined

/** Loads `yaml` (once; later calls return at once). */
export async function loadYaml(): Promise<void> {
  library ??= await import('yaml')
}

export function yamlLoaded(): boolean {
  return library !== undefined
}

/**
 * The `yaml` library, for code that needs it and runs after loadYaml: a reader asks yamlLoaded()
 * first, so this failing is a caller's mistake (a synchronous reader used before `await loadYaml()`).
 */
export function yamlLibrary(): typeof Yaml {
  if (!library) throw new Error('the yaml library is not loaded: await loadYaml() before reading this YAML synchronously (or use the asynchronous reader)')
  return library
}
