// Findings → the annotations GitHub shows on the lines of a pull request.
import { expect, test } from '@jest/globals'
import { ruleInfo } from '../lint/lint.js'
import { buildAnnotations } from './annotations.js'
import { sampleFindings } from './testing.js'

test('one annotation per finding that is not silenced, at its file, line and column', () => {
  const annotations = buildAnnotations(sampleFindings(), ruleInfo)
  expect(annotations.map((a) => [a.file, a.startLine, a.startColumn, a.level])).toEqual([
    ['jobs/train.yaml', 9, 3, 'error'],
    ['jobs/train.yaml', 8, 3, 'error'],
    ['jobs/train.yaml', 8, 3, 'error'],
    ['legacy/old.yaml', 1, 13, 'warning']
  ])
})

test('the title names the rule and whether KubeRay reports it; the message names the object and the fix', () => {
  const reported = buildAnnotations(sampleFindings(), ruleInfo).find((a) => a.title.startsWith('suspend-requires-shutdown'))
  expect(reported).toMatchObject({
    title: 'suspend-requires-shutdown: suspend without shutdownAfterJobFinishes (KubeRay reports this)',
    message:
      'RayJob team-a/train: The RayJob spec is invalid: a RayJob with shutdownAfterJobFinishes set to false is not allowed to be suspended\nFix: Set spec.shutdownAfterJobFinishes: true, or remove spec.suspend.'
  })
  const other = buildAnnotations(sampleFindings(), ruleInfo).find((a) => a.title.startsWith('selector-with-suspend'))
  expect(other?.title).toBe('selector-with-suspend: suspend with clusterSelector')
})
