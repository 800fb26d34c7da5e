import { describe, expect, it } from '@jest/globals'
import { DriverLog } from '../../src/gate/logs.js'
import { stepLog } from '../../src/gate/step-log.js'
import type { Runner } from '../../src/runner/types.js'

describe('the driver log as the step prints it', () => {
  it('prints whole lines as they come and holds a partial line until it ends', () => {
    const printed: string[] = []
    const log = new DriverLog((lines) => printed.push(...lines))
    log.feed('epoch 1 loss=0.9\nepoch 2 lo', 0)
    expect(printed).toEqual(['epoch 1 loss=0.9'])
    log.feed('ss=0.5\r\n', 27)
    expect(printed).toEqual(['epoch 1 loss=0.9', 'epoch 2 loss=0.5'])
    log.feed('done', 36)
    log.finish()
    expect(printed).toEqual(['epoch 1 loss=0.9', 'epoch 2 loss=0.5', 'done'])
  })

  it("prints each part once when Ray's tail replays the log from the start after a reconnect", () => {
    const printed: string[] = []
    const log = new DriverLog((lines) => printed.push(...lines))
    log.feed('a\nb\n', 0)
    log.feed('a\nb\nc\n', 0) // the replay, and one new line
    log.feed('a\nb\nc\nd\n', 0) // a whole-log read at the end
    expect(printed).toEqual(['a', 'b', 'c', 'd'])
  })

  it('keeps the last lines for the error message', () => {
    const log = new DriverLog(() => {}, 3)
    log.feed(['1', '2', '3', '4', '5', ''].join('\n'), 0)
    expect(log.lastLines).toEqual(['3', '4', '5'])
  })

  it('takes a single piece of 300,000 lines (one WebSocket frame) without overflowing the stack (issue 9, defect 5)', () => {
    let printed = 0
    const log = new DriverLog((lines) => (printed += lines.length))
    log.feed(`${Array.from({ length: 300_000 }, (_, i) => `line ${i}`).join('\n')}\n`, 0)
    expect(printed).toBe(300_000)
    expect(log.lastLines.at(-1)).toBe('line 299999')
    expect(log.lastLines).toHaveLength(30)
  })
})

describe('the step log while a job runs', () => {
  /** Every call the step log makes to the runner below it, in order. */
  function recording(): { runner: Runner; calls: string[] } {
    const calls: string[] = []
    const note = (name: string) => (value?: unknown) => void calls.push(value === undefined ? name : `${name} ${Array.isArray(value) ? value.join('|') : String(value)}`)
    const runner = {
      info: note('info'),
      warning: note('warning'),
      debug: note('debug'),
      fail: note('fail'),
      annotate: note('annotate'),
      setOutput: note('output'),
      mask: note('mask'),
      startGroup: note('group'),
      endGroup: note('endgroup'),
      untrusted: note('untrusted'),
      summary: async () => {},
      saveState: note('state'),
      getState: () => ''
    } as Runner
    return { runner, calls }
  }

  it('shows state changes outside the driver-log group, and reopens the group after them', () => {
    const { runner, calls } = recording()
    const log = stepLog(runner)
    const driver = new DriverLog((lines) => log.driverLines('Driver log of Ray job r1', lines))
    log.info('[3s] Initializing → Running')
    driver.feed('step 1\nstep 2\n', 0)
    log.debug('a debug line stays where it is')
    driver.feed('step 3\n', 14)
    log.info('[9s] Running → Complete')
    driver.feed('bye\n', 21)
    log.closeGroup()
    expect(calls).toEqual([
      'info [3s] Initializing → Running',
      'group Driver log of Ray job r1',
      'untrusted step 1|step 2',
      'debug a debug line stays where it is',
      'untrusted step 3',
      'endgroup',
      'info [9s] Running → Complete',
      'group Driver log of Ray job r1 (continued)',
      'untrusted bye',
      'endgroup'
    ])
  })

  it('closes the group before a warning or the failure, and never closes one it did not open', () => {
    const { runner, calls } = recording()
    const log = stepLog(runner)
    log.closeGroup()
    log.driverLines('Driver log', ['Traceback (most recent call last):'])
    log.warning('could not stop the job')
    log.fail('the Ray job FAILED')
    expect(calls).toEqual(['group Driver log', 'untrusted Traceback (most recent call last):', 'endgroup', 'warning could not stop the job', 'fail the Ray job FAILED'])
  })
})
