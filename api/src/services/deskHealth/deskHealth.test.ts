import pg from 'pg'

import { resetConfigForTests } from 'src/lib/config'
import { LIVE_CHANNEL } from 'src/lib/live/liveChange'

import { checkAlarmAndLog, describeAlarm, queryDeskHealth, resetAlarmWatchForTests } from './deskHealth'

describe('the stalled-delivery alarm (defaults: 10 minutes, 20 % and at least 5 refused)', () => {
  beforeEach(() => resetConfigForTests())

  scenario('stalled', 'fires when a recipient waits and no callback was stored for the window', async () => {
    const alarm = describeAlarm(await queryDeskHealth())
    expect(alarm).toMatchObject({ active: true, stalled: true, refusedTooMany: false, inFlight: 1 })
    expect(alarm.summary).toMatch(/^1 recipient is waiting for delivery reports, and no callback has been stored/)
    expect(alarm.causes).toEqual([expect.stringMatching(/tunnel or proxy in front of \/sinchCallbacks/)])
  })

  scenario('flowing', 'stays quiet while callbacks arrive', async () => {
    const alarm = describeAlarm(await queryDeskHealth())
    expect(alarm).toMatchObject({ active: false, stalled: false, summary: null, causes: [], inFlight: 1 })
  })

  scenario('stalled', 'stays quiet when the window is longer than the silence', async () => {
    process.env.ALARM_STALL_MINUTES = '30'
    try {
      resetConfigForTests()
      expect(describeAlarm(await queryDeskHealth()).active).toBe(false)
    } finally {
      delete process.env.ALARM_STALL_MINUTES
    }
  })

  scenario('refused', 'fires when refused callbacks exceed their share, naming the likely cause', async () => {
    const alarm = describeAlarm(await queryDeskHealth())
    expect(alarm).toMatchObject({ active: true, stalled: false, refusedTooMany: true, refusedShare: 0.75 })
    expect(alarm.causes).toEqual([expect.stringMatching(/^Signatures do not match.*proxy rewrites the body/)])
  })

  scenario('refused', 'needs at least ALARM_REFUSED_MIN refusals', async () => {
    process.env.ALARM_REFUSED_MIN = '7'
    try {
      resetConfigForTests()
      expect(describeAlarm(await queryDeskHealth()).refusedTooMany).toBe(false)
    } finally {
      delete process.env.ALARM_REFUSED_MIN
    }
  })
})

describe('browsers hear when the alarm changes (README "Live updates")', () => {
  const stallMinutes = (minutes: string | undefined) => {
    if (minutes === undefined) delete process.env.ALARM_STALL_MINUTES
    else process.env.ALARM_STALL_MINUTES = minutes
    resetConfigForTests()
    resetAlarmWatchForTests('cache')
  }

  scenario(
    'stalled',
    "an instance's check that sees the alarm change announces it once; unchanged, it does not",
    async () => {
      const listener = new pg.Client({ connectionString: process.env.DATABASE_URL })
      await listener.connect()
      const heard: string[] = []
      listener.on('notification', (n) => n.channel === LIVE_CHANNEL && heard.push(n.payload ?? ''))
      await listener.query(`LISTEN ${LIVE_CHANNEL}`)
      try {
        resetAlarmWatchForTests()
        stallMinutes('30') // the silence is shorter than the window: quiet
        expect((await checkAlarmAndLog()).active).toBe(false)
        stallMinutes('30')
        expect((await checkAlarmAndLog()).active).toBe(false)
        stallMinutes(undefined) // 10 minutes: stalled
        expect((await checkAlarmAndLog()).active).toBe(true)
        stallMinutes(undefined)
        expect((await checkAlarmAndLog()).active).toBe(true)
        await new Promise((resolve) => setTimeout(resolve, 300))
        expect(heard.map((payload) => JSON.parse(payload))).toEqual([{ a: 1 }])
      } finally {
        stallMinutes(undefined)
        resetAlarmWatchForTests()
        await listener.end()
      }
    }
  )
})
