// A port of kubeconform's scripts/openapi2jsonschema.py (itself derived from
// instrumenta/openapi2jsonschema): a CustomResourceDefinition → one JSON schema per served version,
// the files kubeconform loads through -schema-location. Same transformations, same file names:
//   - additionalProperties: false on every object schema that has `properties` and no
//     additionalProperties (kubectl's strict validation), recursing through mappings only, as the
//     Python does; the root is skipped unless denyRootAdditionalProperties
//     (DENY_ROOT_ADDITIONAL_PROPERTIES in the script);
//   - `format: int-or-string` → oneOf string/integer (controller-gen CRDs carry
//     x-kubernetes-int-or-string with an anyOf instead, which passes through unchanged);
//   - apiVersion, kind and metadata stay as the CRD declares them (metadata: a bare `type: object`).
// File name: FILENAME_FORMAT "{kind}-{fullgroup}-{version}" lower-cased + ".json", e.g.
// rayjob-ray.io-v1.json, found by the template {{ .ResourceKind }}-{{ .Group }}-{{ .ResourceAPIVersion }}.json.

const isDict = (v) => v !== null && typeof v === 'object' && !Array.isArray(v)

/** additional_properties(data, skip) from the script. Mutates and returns data. */
export function additionalProperties(data, skip = false) {
  if (isDict(data)) {
    if ('properties' in data && !skip) {
      if (!('additionalProperties' in data)) data.additionalProperties = false
    }
    for (const v of Object.values(data)) additionalProperties(v)
  }
  return data
}

/** replace_int_or_string(data) from the script. Returns a new value. */
export function replaceIntOrString(data) {
  if (!isDict(data)) return data
  const out = {}
  for (const [k, v] of Object.entries(data)) {
    if (isDict(v)) {
      out[k] = v.format === 'int-or-string' ? { oneOf: [{ type: 'string' }, { type: 'integer' }] } : replaceIntOrString(v)
    } else if (Array.isArray(v)) {
      out[k] = v.map((x) => replaceIntOrString(x))
    } else {
      out[k] = v
    }
  }
  return out
}

/**
 * The JSON schemas for every version of a CRD that has an openAPIV3Schema.
 * @returns {{ file: string, kind: string, group: string, version: string, schema: object }[]}
 */
export function crdToJsonSchemas(crd, { filenameFormat = '{kind}-{fullgroup}-{version}', denyRootAdditionalProperties = false } = {}) {
  if (crd?.kind !== 'CustomResourceDefinition') throw new Error('not a CustomResourceDefinition')
  const kind = crd.spec.names.kind
  const group = crd.spec.group
  const out = []
  for (const version of crd.spec.versions ?? []) {
    const source = version.schema?.openAPIV3Schema
    if (!source) continue
    const file =
      filenameFormat
        .replaceAll('{kind}', kind)
        .replaceAll('{group}', group.split('.')[0])
        .replaceAll('{fullgroup}', group)
        .replaceAll('{version}', version.name)
        .toLowerCase() + '.json'
    let schema = structuredClone(source)
    schema = additionalProperties(schema, !denyRootAdditionalProperties)
    schema = replaceIntOrString(schema)
    out.push({ file, kind, group, version: version.name, schema })
  }
  return out
}
