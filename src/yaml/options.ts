// How YAML is read here: the way Kubernetes reads it (sigs.k8s.io/yaml, that is go-yaml v2,
// decoding into interface{}): YAML 1.1 scalars (`yes`/`on` are booleans, `0755` is octal) with
// merge keys, except that go-yaml keeps a date-looking value (`2024-01-01`) as a string "for
// backward compatibility" and has no base-60 numbers (`12:30` stays a string). `yaml`'s YAML 1.1
// schema would read those as a Date and as 750. Type-only import: `yaml` itself is loaded lazily
// (library.ts).
import type { Tags } from 'yaml'

const TIMESTAMP = 'tag:yaml.org,2002:timestamp'

/** The YAML 1.1 tags go-yaml v2 resolves plain scalars to, for interface{}. */
export function goYamlTags(tags: Tags): Tags {
  return tags.filter((tag) => typeof tag === 'string' || (tag.tag !== TIMESTAMP && tag.format !== 'TIME'))
}

/**
 * The one set of `yaml` options every reader here uses (the fast reader gives the same values,
 * fast.ts): YAML as the API server and KubeRay read it. Each use adds only what is not about the
 * values (a lineCounter, where errors go).
 */
export const KUBERNETES_YAML = { version: '1.1', merge: true, customTags: goYamlTags } as const
