// One YAML value, as sigs.k8s.io/yaml.Unmarshal reads it (KubeRay reads spec.runtimeEnvYAML so,
// and client-go a kubeconfig): the first document only, a repeated key no error (the last one
// counts), then converted to JSON, which refuses what JSON cannot hold.
import { DECLINED, loadFirstDocument } from './fast.js'
import { yamlLoaded } from './library.js'
import { boundedValue, composeDocuments, notJson, onlyFiniteNumbers, syntaxErrors } from './reference.js'
import { scanShape } from './shape.js'
import { normalizeLineBreaks } from './text.js'

/**
 * The value; or why sigs.k8s.io/yaml refuses the text, in its words ("error converting YAML to
 * JSON: ..."; the explanation after that is this module's for text that is not YAML at all); or
 * `refused`: the text is beyond what the readers here take (nested hundreds deep, or a document
 * too large for `yaml`: see shape.ts), and nothing is said about it.
 */
export type ValueRead = { value: unknown } | { error: string } | { refused: true }

const CONVERSION = 'error converting YAML to JSON: '

/**
 * Reads the first document of the text. Synchronous: if yamlNeededFor(text), `yaml` must be loaded
 * (`await loadYaml()`); otherwise the fast reader reads it alone.
 */
export function readYamlValue(text: string): ValueRead {
  const fast = loadFirstDocument(text)
  if (fast !== DECLINED && onlyFiniteNumbers(fast.value)) return { value: fast.value }
  const lines = normalizeLineBreaks(text)
  const shape = scanShape(lines)
  if (shape.tooDeep || shape.bulky.length > 0) return { refused: true }
  // go-yaml reads only the first document: the rest of the text is not read (nor its errors reported).
  const first = composeDocuments(lines, undefined, false).next()
  if (first.done) return { value: null }
  const doc = first.value
  const syntax = syntaxErrors(doc, lines).find((e) => e.code !== 'BAD_ALIAS')
  if (syntax) return { error: CONVERSION + syntax.message }
  const unconvertible = notJson(doc.contents)
  if (unconvertible) return { error: CONVERSION + unconvertible }
  // An alias to no anchor or inside its own anchor's node, an alias bomb: go-yaml refuses them too ("unknown anchor", "excessive aliasing").
  const alias = doc.errors.find((e) => e.code === 'BAD_ALIAS')
  if (alias) return { error: CONVERSION + alias.message }
  const read = boundedValue(doc)
  return 'error' in read ? { error: CONVERSION + read.error } : { value: read.value ?? null }
}

/** Whether readYamlValue(text) needs `yaml` and it is not loaded yet (then `await loadYaml()` first). */
export function yamlNeededFor(text: string): boolean {
  if (yamlLoaded()) return false
  const fast = loadFirstDocument(text)
  return fast === DECLINED || !onlyFiniteNumbers(fast.value)
}
