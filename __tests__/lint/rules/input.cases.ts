// Cases for what the file reader and the CRD schema report (input.ts), run by input.test.ts and
// counted by coverage.test.ts.
import { cluster, ENTRYPOINT, keyAt, rayJob, valueAt, y } from './testing.js'
import type { RuleCase } from './testing.js'

const job = (spec: string, parts?: Parameters<typeof rayJob>[1]): string => rayJob(`${spec}\n${cluster()}`, parts)
const TOP = { line: 1, column: 1 }
const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text)

/** Nine levels of nine aliases: a few hundred bytes that expand to 387 million strings. */
export const ALIAS_BOMB = y`
  apiVersion: ray.io/v1
  kind: RayJob
  metadata:
    name: lol
  a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
  b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
  c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
  d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
  e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
  f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
  g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
  h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
  i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
`

export const INPUT_CASES: RuleCase[] = [
  {
    name: 'invalid YAML in a RayJob manifest is an error at the quote that was never closed',
    yaml: y`
      apiVersion: ray.io/v1
      kind: RayJob
      metadata:
        name: sample
      spec:
        entrypoint: "python /home/ray/samples/sample_code.py
        backoffLimit: 1
    `,
    findings: [{ ruleId: 'yaml-syntax', message: 'Missing closing "quote', at: { text: '"python' } }]
  },
  {
    name: 'a duplicate key is invalid YAML (kubectl refuses it too)',
    yaml: y`
      apiVersion: ray.io/v1
      kind: RayJob
      metadata:
        name: sample
      spec:
        ${ENTRYPOINT}
        entrypoint: python other.py
    `,
    findings: [{ ruleId: 'yaml-syntax', message: 'Map keys must be unique', at: { line: 7, column: 3 } }]
  },
  {
    name: 'invalid YAML in a file with no RayJob (a workflow) is only a note',
    yaml: 'name: CI\non: [push]\njobs:\n  build: {\n',
    findings: [
      { ruleId: 'yaml-syntax', severity: 'note', message: 'Flow map in block collection must be sufficiently indented and end with a }', at: { line: 5, column: 1 } }
    ]
  },
  {
    name: 'an alias bomb is refused, not expanded',
    yaml: ALIAS_BOMB,
    findings: [
      {
        ruleId: 'yaml-aliases',
        message: 'document 1 expands too many aliases (Excessive alias count indicates a resource exhaustion attack); it was not checked',
        at: TOP
      }
    ]
  },
  {
    name: 'brackets nested a million deep (3 MB) are refused at once, not parsed until the stack runs out',
    yaml: '',
    bytes: () => utf8(`apiVersion: ray.io/v1\nkind: RayJob\nmetadata:\n  name: deep\nspec:\n  metadata: ${'['.repeat(1_500_000)}${']'.repeat(1_500_000)}\n`),
    findings: [
      { ruleId: 'yaml-too-deep', severity: 'warning', message: 'brackets nest 1500000 deep here (more than 100, which no manifest needs); the file was not parsed', at: { line: 6, column: 113 } }
    ]
  },
  {
    name: 'a 20 MB file is not parsed',
    yaml: '',
    bytes: () => new Uint8Array(20 * 1024 * 1024).fill(0x61),
    findings: [
      { ruleId: 'file-too-large', severity: 'warning', message: 'the file is 20.0 MiB, above the 4 MiB limit for a manifest; it was not parsed', at: TOP }
    ]
  },
  {
    name: 'a binary file is not parsed',
    yaml: '',
    bytes: () => Uint8Array.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00, 0x00]),
    findings: [{ ruleId: 'file-binary', severity: 'note', message: 'the file contains NUL bytes: it looks binary, not YAML; it was not parsed', at: TOP }]
  },
  {
    name: 'a Latin-1 file is not UTF-8',
    yaml: '',
    bytes: () => Uint8Array.from([...utf8('metadata:\n  name: caf'), 0xe9, 0x0a]),
    findings: [
      { ruleId: 'file-encoding', severity: 'warning', message: 'the file is not valid UTF-8 (Kubernetes manifests must be UTF-8); it was not parsed', at: TOP }
    ]
  },
  {
    name: 'an empty file',
    yaml: '',
    bytes: () => new Uint8Array(0),
    findings: [{ ruleId: 'file-empty', severity: 'note', message: 'the file is empty; nothing to check', at: TOP }]
  },
  {
    name: 'a file of blank lines',
    yaml: '',
    bytes: () => utf8('\n  \n\t\n'),
    findings: [{ ruleId: 'file-empty', severity: 'note', message: 'the file holds only white space; nothing to check', at: TOP }]
  },
  {
    name: 'a Go template of a RayJob is not a manifest: a warning, since the RayJob in it goes unchecked',
    yaml: '',
    bytes: () => utf8('apiVersion: ray.io/v1\nkind: RayJob\nmetadata:\n  name: {{.Name}}\n'),
    findings: [
      {
        ruleId: 'file-template',
        severity: 'warning',
        message: 'the file is a template ({{ ... }} placeholders as values): lint the rendered manifests instead; it was not checked',
        at: TOP
      }
    ]
  },
  {
    name: 'a template of something else (a Helm ConfigMap) is only a note',
    yaml: '',
    bytes: () => utf8('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-config\n'),
    findings: [
      {
        ruleId: 'file-template',
        severity: 'note',
        message: 'the file is a template ({{ ... }} placeholders as values): lint the rendered manifests instead; it was not checked',
        at: TOP
      }
    ]
  },
  {
    name: 'a quoted value that holds {{ does not make the file a template: the RayJob is checked (issue 9, defect 7)',
    yaml: job(`entrypoint: "{{ x"\nbackofLimit: 2`),
    bytes: () => utf8(job(`entrypoint: "{{ x"\nbackofLimit: 2`)),
    findings: [{ ruleId: 'schema-unknown-field', message: 'unknown field "spec.backofLimit" (did you mean "backoffLimit"?)', at: keyAt('backofLimit') }]
  },
  ...Object.entries({ 'CR alone (old Mac)': '\r', 'NEL (U+0085)': '\u0085', 'LS (U+2028)': '\u2028', 'PS (U+2029)': '\u2029' }).map(
    ([name, lineEnd]): RuleCase => ({
      name: `a RayJob whose lines end in ${name} is read as the API server reads it (go-yaml v2: YAML 1.1 line breaks), at the same lines (issue 9, defect 7)`,
      yaml: job(`${ENTRYPOINT}\nbackofLimit: 2`),
      bytes: () => utf8(job(`${ENTRYPOINT}\nbackofLimit: 2`).replaceAll('\n', lineEnd)),
      findings: [{ ruleId: 'schema-unknown-field', message: 'unknown field "spec.backofLimit" (did you mean "backoffLimit"?)', at: keyAt('backofLimit') }]
    })
  ),
  {
    name: 'a RayJob with every kind of line end mixed (issue 9, defect 7)',
    yaml: job(`${ENTRYPOINT}\nbackofLimit: 2`),
    bytes: () => {
      const ends = ['\r', '\u0085', '\r\n', '\u2028', '\n', '\u2029']
      let line = 0
      return utf8(job(`${ENTRYPOINT}\nbackofLimit: 2`).replace(/\n/g, () => ends[line++ % ends.length]))
    },
    findings: [{ ruleId: 'schema-unknown-field', message: 'unknown field "spec.backofLimit" (did you mean "backoffLimit"?)', at: keyAt('backofLimit') }]
  },
  {
    name: 'a RayJob saved as UTF-16 without a byte order mark looks binary: a warning, not a note, since it may hold a RayJob (issue 9, defect 7)',
    yaml: '',
    bytes: () => Uint8Array.from([...utf8(job(ENTRYPOINT))].flatMap((b) => [b, 0])),
    findings: [{ ruleId: 'file-binary', severity: 'warning', message: 'the file contains NUL bytes: it looks binary, not YAML; it was not parsed', at: TOP }]
  },
  {
    name: 'block collections nested two million deep (`- - - ...`, 4 MB) are refused at once (issue 9, defect 4)',
    yaml: '',
    bytes: () => utf8(`${'- '.repeat(2_000_000)}x\n`),
    findings: [
      {
        ruleId: 'yaml-too-deep',
        severity: 'warning',
        message: 'block collections nest 2000001 deep here (indentation and "- " items; more than 100, which no manifest needs); the file was not parsed',
        at: { line: 1, column: 201 }
      }
    ]
  },
  {
    name: 'ray.io/v1alpha1 is deprecated (KubeRay 1.7.0 gives its own warning text)',
    yaml: job(ENTRYPOINT, { apiVersion: 'ray.io/v1alpha1' }),
    findings: [
      {
        ruleId: 'api-version-deprecated',
        severity: 'warning',
        message: 'ray.io/v1alpha1 RayJob is deprecated; use ray.io/v1 RayJob. v1alpha1 receives no new fields and will be unavailable in KubeRay 1.9.',
        at: valueAt('apiVersion')
      }
    ],
    absent: ['submission-mode-unknown']
  },
  {
    name: 'ray.io/v1alpha1 in KubeRay 1.6.2',
    version: '1.6.2',
    yaml: job(ENTRYPOINT, { apiVersion: 'ray.io/v1alpha1' }),
    findings: [{ ruleId: 'api-version-deprecated', severity: 'warning', message: 'ray.io/v1alpha1 RayJob is deprecated; use ray.io/v1 RayJob', at: valueAt('apiVersion') }]
  },
  {
    name: 'ray.io/v1alpha1 still requires an entrypoint',
    yaml: job('shutdownAfterJobFinishes: true', { apiVersion: 'ray.io/v1alpha1' }),
    findings: [
      { ruleId: 'api-version-deprecated', severity: 'warning', message: 'ray.io/v1alpha1 RayJob is deprecated; use ray.io/v1 RayJob. v1alpha1 receives no new fields and will be unavailable in KubeRay 1.9.', at: valueAt('apiVersion') },
      { ruleId: 'schema-required', message: 'spec.entrypoint: Required value', at: keyAt('spec') }
    ]
  },
  {
    name: 'an apiVersion KubeRay does not serve',
    yaml: job(ENTRYPOINT, { apiVersion: 'ray.io/v1beta1' }),
    findings: [{ ruleId: 'api-version-not-served', message: 'KubeRay 1.7.0 does not serve ray.io/v1beta1 RayJobs', at: valueAt('apiVersion') }]
  },
  {
    name: 'a typo in a field name: backofLimit',
    yaml: job(`${ENTRYPOINT}\nbackofLimit: 2`),
    findings: [{ ruleId: 'schema-unknown-field', message: 'unknown field "spec.backofLimit" (did you mean "backoffLimit"?)', at: keyAt('backofLimit') }]
  },
  {
    name: 'a misspelt rule id in rayjob-lint-disable silences nothing, and says what was meant',
    yaml: `# rayjob-lint-disable schema-unknwn-field\n${job(`${ENTRYPOINT}\nbackofLimit: 2`)}`,
    findings: [
      { ruleId: 'schema-unknown-field', message: 'unknown field "spec.backofLimit" (did you mean "backoffLimit"?)', at: keyAt('backofLimit') },
      {
        ruleId: 'lint-disable-unknown-rule',
        severity: 'warning',
        message: 'rayjob-lint-disable names "schema-unknwn-field" (did you mean "schema-unknown-field"?), which is not a rule of rayjob-action: it silences nothing',
        at: { line: 2, column: 1 }
      }
    ]
  },
  {
    name: 'a typo in metadata: labes',
    yaml: job(ENTRYPOINT, { metadata: 'labes:\n  team: a' }),
    findings: [{ ruleId: 'schema-unknown-field', message: 'unknown field "metadata.labes" (did you mean "labels"?)', at: keyAt('labes') }]
  },
  {
    name: 'a number written as a string: backoffLimit: "2"',
    yaml: job(`${ENTRYPOINT}\nbackoffLimit: "2"`),
    findings: [{ ruleId: 'schema-type', message: 'spec.backoffLimit in body must be of type integer: "string"', at: valueAt('backoffLimit') }]
  },
  {
    name: 'an annotation value that is not a string',
    yaml: job(ENTRYPOINT, { metadata: 'annotations:\n  ray.io/ft-enabled: true' }),
    findings: [{ ruleId: 'schema-type', message: 'metadata.annotations.ray.io/ft-enabled in body must be of type string: "boolean"', at: valueAt('ray.io/ft-enabled') }]
  },
  {
    name: 'a value outside an enum',
    yaml: job(`${ENTRYPOINT}\ndeletionStrategy:\n  deletionRules:\n    - policy: DeleteAll\n      condition: {jobStatus: SUCCEEDED}`),
    findings: [
      {
        ruleId: 'schema-enum',
        message: 'spec.deletionStrategy.deletionRules[0].policy: Unsupported value: "DeleteAll": supported values: "DeleteCluster", "DeleteWorkers", "DeleteSelf", "DeleteNone"',
        at: valueAt('policy')
      }
    ]
  },
  {
    name: 'a container without a name',
    yaml: rayJob(y`
      ${ENTRYPOINT}
      rayClusterSpec:
        headGroupSpec:
          template:
            spec:
              containers:
                - image: rayproject/ray:2.52.0
    `),
    findings: [{ ruleId: 'schema-required', message: 'spec.rayClusterSpec.headGroupSpec.template.spec.containers[0].name: Required value', at: keyAt('image') }]
  },
  {
    name: 'a RayJob without metadata.name',
    yaml: job(ENTRYPOINT).replace('  name: sample\n', '  namespace: team-a\n'),
    findings: [{ ruleId: 'schema-required', message: 'metadata.name: Required value: name or generateName is required', at: keyAt('metadata') }]
  },
  {
    name: 'a CEL rule of the CRD: managedBy',
    yaml: job(`${ENTRYPOINT}\nmanagedBy: argo-workflows`),
    findings: [
      {
        ruleId: 'schema-cel',
        message: "spec.managedBy: Invalid value: \"string\": the managedBy field value must be either 'ray.io/kuberay-operator' or 'kueue.x-k8s.io/multikueue'",
        at: keyAt('managedBy')
      }
    ]
  },
  {
    name: 'two head containers with the same name',
    yaml: job(ENTRYPOINT).replace(/( *)- name: ray-head\n( *)image: (.*)\n/, (item) => item + item),
    findings: [
      { ruleId: 'schema-duplicate', message: 'spec.rayClusterSpec.headGroupSpec.template.spec.containers[1]: Duplicate value: {name: "ray-head"}', at: { text: 'name: ray-head', after: 'ray-head' } }
    ]
  }
]
