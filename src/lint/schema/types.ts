/** One node of a compacted OpenAPI v3 schema (see scripts/derive-schemas.mjs for the key names). */
export interface SchemaNode {
  /** type */
  t?: 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean'
  /** properties: name → node index */
  p?: Record<string, number>
  /** required */
  r?: string[]
  /** items */
  i?: number
  /** additionalProperties: node index, or a boolean */
  a?: number | boolean
  /** enum */
  e?: unknown[]
  /** default */
  d?: unknown
  /** format */
  f?: string
  mn?: number
  mx?: number
  mnl?: number
  mxl?: number
  mni?: number
  mxi?: number
  /** pattern */
  pt?: string
  /** x-kubernetes-int-or-string */
  ios?: 1
  /** x-kubernetes-preserve-unknown-fields */
  pu?: 1
  /** x-kubernetes-embedded-resource */
  er?: 1
  /** nullable */
  n?: 1
  /** x-kubernetes-list-type */
  lt?: 'atomic' | 'set' | 'map'
  /** x-kubernetes-list-map-keys */
  lk?: string[]
  /** x-kubernetes-validations: [rule, message] */
  c?: [string, string][]
}

export interface CrdVersionSchema {
  root: number
  deprecationWarning?: string
}

export interface SchemaData {
  /** CRD release (e.g. "1.7.0") → served API version ("v1", "v1alpha1") → schema root */
  releases: Record<string, Record<string, CrdVersionSchema>>
  nodes: SchemaNode[]
}
