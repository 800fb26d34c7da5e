// `yaml` on demand: work that needs it before it is loaded is run again once it is.
import { describe, expect, test } from '@jest/globals'
import { YamlNotLoaded, referenceYaml, withReferenceYaml } from '../../src/lint/reference-yaml.js'

describe('withReferenceYaml', () => {
  test('runs the work again after loading yaml when the work needed it', async () => {
    let runs = 0
    const result = await withReferenceYaml(() => {
      runs++
      if (runs === 1) throw new YamlNotLoaded()
      return 'done'
    })
    expect({ result, runs }).toEqual({ result: 'done', runs: 2 })
  })

  test('passes any other error on', async () => {
    await expect(withReferenceYaml(() => { throw new Error('other') })).rejects.toThrow('other')
  })

  test('run from the sources, yaml is loaded up front', () => {
    expect(typeof referenceYaml().parseDocument).toBe('function')
  })
})
