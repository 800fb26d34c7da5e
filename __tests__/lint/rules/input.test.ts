// What the file reader and the CRD schema report: the cases are in input.cases.ts so that
// coverage.test.ts can count them.
import { describe } from '@jest/globals'
import { INPUT_CASES } from './input.cases.js'
import { runRuleCases } from './testing.js'

describe('reading files and the CRD schema', () => runRuleCases(INPUT_CASES))
