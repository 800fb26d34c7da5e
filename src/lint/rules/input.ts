// Rules the file reader and the CRD schema check report. Their messages come from the reader or
// the schema; these entries give each its id, severity, title and hint.
import type { RuleEntry } from './types.js'

const input = (id: string, severity: RuleEntry['severity'], title: string, hint: string): RuleEntry => ({
  id,
  source: 'input',
  since: '1.1.0',
  severity,
  title,
  hint
})
const schema = (id: string, title: string, hint: string): RuleEntry => ({ id, source: 'schema', since: '1.1.0', severity: 'error', title, hint })

export const INPUT_RULES: readonly RuleEntry[] = [
  input('yaml-syntax', 'error', 'invalid YAML', 'Fix the YAML at the line shown (indentation, a missing colon, an unclosed quote or bracket). In a file with no RayJob it is only a note.'),
  input('yaml-aliases', 'error', 'too many YAML aliases', 'Expand the anchors by hand: the document expands more aliases than any manifest needs (an alias bomb).'),
  input('yaml-too-deep', 'warning', 'YAML nested too deep to lint', 'Flatten the nesting (brackets, indentation, `- - -` items): no Kubernetes manifest nests a hundred levels deep.'),
  input('file-too-large', 'warning', 'file too large to lint', 'Split the file (or the document), or leave it out of the `manifests` globs.'),
  input('file-binary', 'warning', 'binary file', 'Save a manifest as UTF-8 text, or leave the file out of the `manifests` globs. In a file that does not mention a RayJob it is only a note.'),
  input('file-encoding', 'warning', 'file is not UTF-8', 'Save the file as UTF-8.'),
  input('file-empty', 'note', 'empty file', 'Nothing to do, or leave it out of the `manifests` globs.'),
  input('file-template', 'warning', 'template, not a manifest', 'Render the template (helm template, kustomize build, ...) and lint the output. In a file that does not mention a RayJob it is only a note.'),
  input('lint-disable-unknown-rule', 'warning', 'unknown rule in rayjob-lint-disable', "Use the rule id shown with the finding (the README lists them all)."),
  input('api-version-deprecated', 'warning', 'deprecated ray.io/v1alpha1', 'Change apiVersion to ray.io/v1: v1alpha1 gets no new fields and goes away in KubeRay 1.9.'),
  input('api-version-not-served', 'error', 'apiVersion not served', 'Use apiVersion: ray.io/v1.'),
  schema('schema-unknown-field', 'unknown field', 'Fix the spelling or remove the field: the API server drops unknown fields silently.'),
  schema('schema-type', 'wrong type', 'Write the value with the type the CRD expects (no quotes around numbers and booleans).'),
  schema('schema-enum', 'value not allowed', 'Use one of the values the CRD lists.'),
  schema('schema-required', 'required field missing', 'Add the field.'),
  schema('schema-cel', 'CRD validation rule', 'Change the value so the CRD rule holds.'),
  schema('schema-range', 'value out of range', 'Bring the value into the range the CRD allows.'),
  schema('schema-duplicate', 'duplicate list entry', 'Give each entry its own key.')
]
