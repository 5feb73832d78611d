import { classifyCallback } from 'src/lib/callbackPayload'

const report = (at: string) => ({
  type: 'recipient_delivery_report_sms',
  batch_id: '01W4FFL35P4NC4K35SMSBATCH9',
  recipient: '12017777777',
  code: 0,
  status: 'Delivered',
  at,
})

describe('classifyCallback dates', () => {
  it("accepts the time format of Sinch's examples", () => {
    const result = classifyCallback(report('2024-06-06T08:17:19.210Z'))
    expect(result.ok).toBe(true)
  })

  it.each(['11913-01-01T00:00:00Z', '+011913-01-01T00:00:00.000Z', '1969-12-31T23:59:59Z', 'yesterday'])(
    'refuses %s as a malformed payload (400, never retried) instead of failing in Postgres (500, retried for ever)',
    (at) => {
      const result = classifyCallback(report(at))
      expect(result.ok).toBe(false)
      expect(result.ok === false && result.error).toMatch(/at/)
    }
  )
})
