// The YAML module: how this project reads YAML, the way the API server and KubeRay read it
// (sigs.k8s.io/yaml, go-yaml v2: YAML 1.1 scalars, merge keys, dates kept as strings, no base-60).
// Everything outside src/yaml reads YAML through this file, with the one set of options below.
//
//   readDocuments / readDocumentsSync   manifest text → documents with positions and comments, and problems
//   readYamlValue                       one value (the first document), as sigs.k8s.io/yaml.Unmarshal gives it
//   loadYaml                            the `yaml` library is loaded lazily: the asynchronous reader loads
//                                       it when a document needs it; synchronous readers need it loaded
//
// How a document is read (a fast reader for the YAML manifests are written in, `yaml` for the
// rest) is this module's business: no caller can tell.
export { KUBERNETES_YAML } from './options.js'
export { loadYaml, yamlLoaded } from './library.js'
export { readDocuments, readDocumentsSync } from './documents.js'
export type { DocumentHandler, ReadResult, SourceDocument, YamlProblem, YamlReader } from './documents.js'
export { readYamlValue, yamlNeededFor } from './value.js'
export type { ValueRead } from './value.js'
export { normalizeLineBreaks } from './text.js'
export type { Position } from './text.js'
