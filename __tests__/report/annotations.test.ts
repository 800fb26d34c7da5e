// Findings → the annotations GitHub shows on the lines of a pull request.
import { expect, test } from '@jest/globals'
import { ruleInfo } from '../../src/lint/rules/registry.js'
import { buildAnnotations, firstOfEachLevel } from '../../src/report/annotations.js'
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

test('firstOfEachLevel: the first of each level in order, and how many were left out', () => {
  const a = (level: 'error' | 'warning' | 'note', startLine: number) => ({ level, startLine, startColumn: 1, file: 'f', title: 't', message: 'm' })
  const all = [a('error', 1), a('note', 2), a('error', 3), a('warning', 4), a('error', 5), a('note', 6)]
  expect(firstOfEachLevel(all, 2)).toEqual({ shown: [a('error', 1), a('note', 2), a('error', 3), a('warning', 4), a('note', 6)], left: 1 })
  expect(firstOfEachLevel([], 2)).toEqual({ shown: [], left: 0 })
})
