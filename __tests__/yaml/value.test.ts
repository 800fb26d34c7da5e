// One YAML value as sigs.k8s.io/yaml.Unmarshal reads it (src/yaml/value.ts): KubeRay's
// runtimeEnvYAML, a kubeconfig.
import { describe, expect, test } from '@jest/globals'
import { parseAllDocuments } from 'yaml'
import { KUBERNETES_YAML, readYamlValue } from '../../src/yaml/index.js'
import { benchFiles } from './fast.cases.js'

describe('readYamlValue', () => {
  test('YAML 1.1 as go-yaml reads it: on is true, 0755 is 493, a date and 12:30 stay text', () => {
    expect(readYamlValue('env_vars:\n  DEBUG: on\nmode: 0755\nday: 2024-01-01\nat: 12:30\n')).toEqual({ value: { env_vars: { DEBUG: true }, mode: 493, day: '2024-01-01', at: '12:30' } })
  })

  test('only the first document counts, and a repeated key is no error (the last one counts)', () => {
    expect(readYamlValue('a: 1\n---\nb: [unclosed\n')).toEqual({ value: { a: 1 } })
    expect(readYamlValue('a: 1\na: 2\n')).toEqual({ value: { a: 2 } })
    expect(readYamlValue('# only a comment\n')).toEqual({ value: null })
  })

  test('what JSON cannot hold, and YAML that is not YAML, in the words of sigs.k8s.io/yaml', () => {
    expect(readYamlValue('a: .inf\n')).toEqual({ error: 'error converting YAML to JSON: json: unsupported value: +Inf' })
    expect(readYamlValue('? [a]\n: b\n')).toEqual({ error: 'error converting YAML to JSON: unsupported map key (null or a collection)' })
    expect(readYamlValue('a: *nowhere\n')).toEqual({ error: 'error converting YAML to JSON: Unresolved alias (the anchor must be set before the alias): nowhere' })
    expect(readYamlValue('a: [1\n')).toMatchObject({ error: expect.stringMatching(/^error converting YAML to JSON: /) })
  })

  test('text nested deeper than the readers take is refused, not judged', () => {
    expect(readYamlValue(`a: ${'['.repeat(200)}${']'.repeat(200)}\n`)).toEqual({ refused: true })
  })

  test("the same value as `yaml` with the one set of options, whether or not the fast reader reads it", () => {
    const texts = ['pip: [requests==2.26.0]\nenv_vars:\n  counter_name: "test_counter"\n', 'base: &b {x: 1}\nuse:\n  <<: *b\n  y: 2\n', 'a: !!str 1\n', ...benchFiles().slice(0, 5)]
    for (const text of texts) expect({ text, read: readYamlValue(text) }).toEqual({ text, read: { value: parseAllDocuments(text, KUBERNETES_YAML)[0].toJS() } })
  })
})
