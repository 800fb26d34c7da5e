// Jest setup (setupFiles of the unit project): the tests lint and read synchronously (lintText,
// lintBytes, readDocumentsSync), which needs the `yaml` library loaded for what the fast reader
// declines. Production code reads asynchronously and loads it only when a file needs it.
import { loadYaml } from '../../src/yaml/index.js'

await loadYaml()
