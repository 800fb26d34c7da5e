// The `yaml` library, the reference reader, loaded only when a file needs it. Most manifests are
// read by the fast reader alone (fast-yaml.ts), and a lint of clean files never needs `yaml`: the
// bundles leave it out of their start (about a third of a one-file lint's start-up time) and load
// it, as a chunk of its own, the first time a file needs it. The readers are synchronous, so they
// cannot wait for it: they throw YamlNotLoaded, and lintWorkspace loads it and lints the file again.
import type * as Yaml from 'yaml'

let loaded: typeof Yaml | undefined

/** Thrown by what needs `yaml` before it is loaded: load it (loadReferenceYaml) and start that work again. */
export class YamlNotLoaded extends Error {
  constructor() {
    super('the yaml library is not loaded: await loadReferenceYaml() first')
  }
}

/** The `yaml` library; throws YamlNotLoaded until loadReferenceYaml has loaded it. */
export function referenceYaml(): typeof Yaml {
  if (!loaded) throw new YamlNotLoaded()
  return loaded
}

export async function loadReferenceYaml(): Promise<void> {
  loaded ??= await import('yaml')
}

/** Runs synchronous work that may need `yaml`; if it does before `yaml` is loaded, loads it and runs the work again. */
export async function withReferenceYaml<T>(work: () => T): Promise<T> {
  try {
    return work()
  } catch (error) {
    if (!(error instanceof YamlNotLoaded)) throw error
    await loadReferenceYaml()
    return work()
  }
}

// Run from the TypeScript sources (the tests), callers are synchronous and expect `yaml` at hand.
if (import.meta.url.endsWith('.ts')) await loadReferenceYaml()
