import { describe, expect, it } from '@jest/globals'
import { DriverLog } from '../../src/gate/logs.js'

describe('the driver log as the step prints it', () => {
  it('prints whole lines as they come and holds a partial line until it ends', () => {
    const printed: string[] = []
    const log = new DriverLog((l) => printed.push(l))
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
    const log = new DriverLog((l) => printed.push(l))
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
})
