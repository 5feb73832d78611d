import { dayValue, periodRange } from './period'

// Expected values are built from local dates, so these hold in any time zone
// the tests run in (and cross a daylight-saving change where there is one:
// in most of Europe, 2025-03-30 is 23 hours long).
const none = { from: '', to: '' }
const local = (y: number, m: number, d: number, h = 0) => new Date(y, m - 1, d, h)

describe('periodRange', () => {
  it('last 24 hours: the 24 whole hours up to the end of the current one', () => {
    const r = periodRange('24h', local(2025, 3, 1, 14), none, 366)
    expect(r).toEqual({
      from: new Date(local(2025, 3, 1, 15).getTime() - 24 * 60 * 60 * 1000),
      to: local(2025, 3, 1, 15),
    })

    const mid = new Date(local(2025, 3, 1, 14).getTime() + 37 * 60 * 1000 + 12_345)
    expect(periodRange('24h', mid, none, 366)).toEqual(r)
  })

  it('last 7 days: seven calendar days to the end of today', () => {
    const r = periodRange('7d', local(2025, 4, 2, 10), none, 366)
    expect(r).toEqual({ from: local(2025, 3, 27), to: local(2025, 4, 3) })
  })

  it('last 30 days: thirty calendar days, today included', () => {
    const r = periodRange('30d', new Date(local(2025, 3, 31, 23).getTime() + 59 * 60 * 1000), none, 366)
    expect(r).toEqual({ from: local(2025, 3, 2), to: local(2025, 4, 1) })
  })

  it('custom: from the start of the first day to the end of the last', () => {
    expect(periodRange('custom', new Date(), { from: '2025-03-01', to: '2025-03-03' }, 366)).toEqual({
      from: local(2025, 3, 1),
      to: local(2025, 3, 4),
    })
    expect(periodRange('custom', new Date(), { from: '2025-03-30', to: '2025-03-30' }, 366)).toEqual({
      from: local(2025, 3, 30),
      to: local(2025, 3, 31),
    })
  })

  it('custom: says what is wrong with the days', () => {
    expect(periodRange('custom', new Date(), { from: '', to: '2025-03-03' }, 366)).toEqual({
      error: 'Choose both a first and a last day.',
    })
    expect(periodRange('custom', new Date(), { from: '2025-03-04', to: '2025-03-03' }, 366)).toEqual({
      error: 'The last day must not be before the first day.',
    })
    // 2024 is a leap year: Jan 1 to Dec 31 is 366 days, to the next Jan 1 is 367.
    expect(periodRange('custom', new Date(), { from: '2024-01-01', to: '2024-12-31' }, 366)).toEqual({
      from: local(2024, 1, 1),
      to: local(2025, 1, 1),
    })
    expect(periodRange('custom', new Date(), { from: '2024-01-01', to: '2025-01-01' }, 366)).toEqual({
      error: 'Choose at most 366 days.',
    })
    // The limit is the api's: whatever it says, and none while it is not known yet (the api judges).
    expect(periodRange('custom', new Date(), { from: '2024-01-01', to: '2024-01-31' }, 30)).toEqual({
      error: 'Choose at most 30 days.',
    })
    expect(periodRange('custom', new Date(), { from: '2024-01-01', to: '2025-01-01' }, null)).toEqual({
      from: local(2024, 1, 1),
      to: local(2025, 1, 2),
    })
  })

  it('dayValue gives a date input its local yyyy-mm-dd', () => {
    expect(dayValue(local(2025, 3, 9, 23))).toBe('2025-03-09')
    expect(dayValue(local(2025, 12, 31))).toBe('2025-12-31')
  })
})
