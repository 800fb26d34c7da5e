import type { SchemaKind } from './check.js'
import type { CrdVersionSchema, SchemaData } from './types.js'

/** The shipped CRD schemas: one node table shared by every kind, release and API version. */
export interface KindSchemaData extends SchemaData {
  /**
   * Kind → CRD release (e.g. "1.7.0") → served API version ("v1", "v1alpha1") → schema root. A
   * release whose CRDs lack a kind (RayCronJob before 1.6) has no entry under that kind.
   */
  kinds: Record<SchemaKind, Record<string, Record<string, CrdVersionSchema>>>
  /** The RayJob schemas: the same object as `kinds.RayJob`. */
  releases: Record<string, Record<string, CrdVersionSchema>>
}

declare const data: KindSchemaData
export default data
