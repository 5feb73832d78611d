import { formatDate, formatDateTime, formatRelative, RELATIVE_WITHIN_MS } from './formatTime'

const AT = '2026-12-01T13:05:09Z'
const NOW = Date.parse(AT)

describe('formatTime', () => {
  it('one format for dates and times, in the time zone asked for (the browser’s by default)', () => {
    expect(formatDateTime(AT, { locale: 'en-GB', timeZone: 'Europe/Stockholm' })).toBe('1 Dec 2026, 14:05')
    expect(formatDateTime(AT, { locale: 'en-GB', timeZone: 'America/New_York' })).toBe('1 Dec 2026, 08:05')
    expect(formatDateTime(AT, { locale: 'en-GB', timeZone: 'UTC', seconds: true })).toBe('1 Dec 2026, 13:05:09')
    expect(formatDateTime('2026-12-01T13:05:09.082Z', { locale: 'en-GB', timeZone: 'UTC', seconds: 'ms' })).toBe(
      '1 Dec 2026, 13:05:09.082'
    )
    expect(formatDate(AT, { locale: 'en-GB', timeZone: 'UTC' })).toBe('1 Dec 2026')
    // No options: the browser's zone and language (the same call everywhere).
    expect(formatDateTime(AT)).toBe(new Date(AT).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' }))
  })

  it('relative within a week, the date beyond', () => {
    expect(formatRelative(NOW - 3_000, NOW, 'en')).toBe('now')
    expect(formatRelative(NOW - 3 * 60_000, NOW, 'en')).toBe('3 min. ago')
    expect(formatRelative(NOW - 2 * 3_600_000, NOW, 'en')).toBe('2 hr. ago')
    expect(formatRelative(NOW - 86_400_000, NOW, 'en')).toBe('yesterday')
    expect(formatRelative(NOW + 5 * 60_000, NOW, 'en')).toBe('in 5 min.')
    expect(formatRelative(NOW - RELATIVE_WITHIN_MS - 1, NOW, 'en')).toBe(
      formatDateTime(NOW - RELATIVE_WITHIN_MS - 1, { locale: 'en' })
    )
  })
})
