// The lint with the fast reader against the lint with `yaml` alone (the reference reader): the
// same findings (rule, message, severity, line and column, order) for every rule case, conformance
// variant (as JSON and as YAML), manifest, example, bench document and random document.
import { describe, expect, test } from '@jest/globals'
import { stringify } from 'yaml'
import { generateVariants } from '../conformance/variants.js'
import { benchFiles, manifestFiles, randomDocument } from '../yaml/fast.cases.js'
import { lintBytes, lintFile, lintText } from '../../src/lint/lint.js'
import { readDocumentsSync } from '../../src/yaml/index.js'
import type { LintOptions } from '../../src/lint/lint.js'
import { CLUSTER_CASES } from './rules/cluster.cases.js'
import { DELETION_CASES } from './rules/deletion.cases.js'
import { INPUT_CASES } from './rules/input.cases.js'
import { METADATA_CASES, SPEC_CASES } from './rules/spec.cases.js'
import { STUCK_CASES } from './rules/stuck.cases.js'
import { defaultFeatureGates } from '../../src/lint/versions.js'

const OPTIONS: LintOptions = { kuberayVersion: '1.7.0', featureGates: defaultFeatureGates('1.7.0') }
const RULE_CASES = [...METADATA_CASES, ...SPEC_CASES, ...DELETION_CASES, ...CLUSTER_CASES, ...STUCK_CASES, ...INPUT_CASES]

describe('the lint finds the same with either reader', () => {
  const lintBothWays = (file: string, text: string) => ({
    fast: lintText(file, text, { ...OPTIONS, yamlReader: 'fast' }),
    reference: lintText(file, text, { ...OPTIONS, yamlReader: 'reference' })
  })

  test('every rule case', () => {
    for (const c of RULE_CASES) {
      const text = c.bytes ? new TextDecoder().decode(c.bytes()) : c.yaml
      const options = { ...OPTIONS, kuberayVersion: c.version ?? OPTIONS.kuberayVersion, featureGates: { ...defaultFeatureGates(c.version ?? '1.7.0'), ...c.gates } }
      expect(lintText('c.yaml', text, { ...options, yamlReader: 'fast' })).toEqual(lintText('c.yaml', text, { ...options, yamlReader: 'reference' }))
    }
  })

  test('every conformance variant, as JSON and as YAML', () => {
    for (const variant of generateVariants()) {
      for (const text of [JSON.stringify(variant.job), stringify(variant.job)]) {
        const { fast, reference } = lintBothWays(`${variant.id}.yaml`, text)
        expect(fast).toEqual(reference)
      }
    }
  })

  test('random documents, and a syntax error after documents the fast reader already handed over', () => {
    const late = 'apiVersion: ray.io/v1\nkind: RayJob\nmetadata: {name: a}\n---\nkind: RayJob\nspec: [unclosed\n'
    for (const text of [late, ...Array.from({ length: 300 }, (_, i) => randomDocument(5 * i + 3))]) {
      const { fast, reference } = lintBothWays('r.yaml', text)
      expect({ text, ...fast }).toEqual({ text, ...reference })
    }
    // The fast reader handed the first document over before it met the error: it goes on with `yaml`
    // from the erring document, never reading a document twice.
    const handed: number[] = []
    const { problems } = readDocumentsSync('late.yaml', late, (doc) => void handed.push(doc.index))
    expect({ handed, problems: problems.map((p) => p.position) }).toEqual({ handed: [0], problems: [{ line: 7, column: 1 }] })
  })

  test('lintFile (asynchronous: it loads `yaml` when a file needs it) finds what lintText finds', async () => {
    const texts = [...RULE_CASES.map((c) => (c.bytes ? new TextDecoder().decode(c.bytes()) : c.yaml)), ...Array.from({ length: 100 }, (_, i) => randomDocument(7 * i + 1))]
    for (const text of texts) {
      expect({ text, ...(await lintFile('f.yaml', new TextEncoder().encode(text), OPTIONS)) }).toEqual({ text, ...lintBytes('f.yaml', new TextEncoder().encode(text), OPTIONS) })
    }
  })

  test('manifests, examples and bench documents', () => {
    for (const text of [...manifestFiles(), ...benchFiles()]) {
      const { fast, reference } = lintBothWays('m.yaml', text)
      expect(fast).toEqual(reference)
    }
  })
})

