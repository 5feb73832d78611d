import { ConfigError, loadConfig } from 'src/lib/config'

const BASE = {
  DATABASE_URL: 'postgresql://u:p@127.0.0.1:5432/desk',
  SESSION_SECRET: 'x'.repeat(44),
} satisfies NodeJS.ProcessEnv
const DAY = 86_400_000

describe('retention configuration', () => {
  it('keeps the callback log 30 days and unmatched reports 14 by default, pruning every 5 minutes in batches of 500', () => {
    expect(loadConfig(BASE).retention).toEqual({
      callbackMs: 30 * DAY,
      unmatchedMs: 14 * DAY,
      reprocessableMs: 30 * DAY,
      intervalMs: 300_000,
      batchSize: 500,
    })
  })

  it('keeps UNMATCHED and FAILED callbacks re-processable for the longer of the two; decimals allowed', () => {
    const { retention } = loadConfig({ ...BASE, RETENTION_CALLBACK_DAYS: '0.5', RETENTION_UNMATCHED_DAYS: '45' })
    expect(retention).toMatchObject({ callbackMs: DAY / 2, unmatchedMs: 45 * DAY, reprocessableMs: 45 * DAY })
  })

  it('refuses a retention of 0 days, a negative interval and batches too small or too large, naming each', () => {
    let problems: string[] = []
    try {
      loadConfig({
        ...BASE,
        RETENTION_CALLBACK_DAYS: '0',
        RETENTION_UNMATCHED_DAYS: 'two weeks',
        RETENTION_INTERVAL_SECONDS: '-1',
        RETENTION_BATCH_SIZE: '100000',
      })
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError)
      problems = (error as ConfigError).problems
    }
    for (const name of [
      'RETENTION_CALLBACK_DAYS',
      'RETENTION_UNMATCHED_DAYS',
      'RETENTION_INTERVAL_SECONDS',
      'RETENTION_BATCH_SIZE',
    ]) {
      expect(problems.some((p) => p.startsWith(`${name} `))).toBe(true)
    }
  })

  it('refuses a callback log kept no longer than a signature timestamp can pass (it remembers used nonces)', () => {
    // 0.005 days = 432 s, within twice the default 300 s window.
    expect(() => loadConfig({ ...BASE, RETENTION_CALLBACK_DAYS: '0.005' })).toThrow(
      /RETENTION_CALLBACK_DAYS must be longer than twice SINCH_CALLBACK_TOLERANCE_SECONDS \(300 s\)/
    )
    expect(() =>
      loadConfig({ ...BASE, RETENTION_CALLBACK_DAYS: '1', SINCH_CALLBACK_TOLERANCE_SECONDS: '43200' })
    ).toThrow(/RETENTION_CALLBACK_DAYS/)
    expect(loadConfig({ ...BASE, RETENTION_CALLBACK_DAYS: '0.01' }).retention.callbackMs).toBe(DAY / 100)
  })
})
